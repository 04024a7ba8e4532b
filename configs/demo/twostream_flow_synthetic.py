# Two-stream late fusion (Simonyan & Zisserman 2014) on the shipped synthetic order-dependent
# videos, CPU-sized, with the flow computed while the data loads (OpenCV DIS, no extraction step):
# an RGB stream (small per-frame CNN, scores averaged over frames: blind to order) and a flow
# stream reading num_fields x/y fields stacked as 2L channels (its first convolution takes the
# channels the pipeline declares; pretrained RGB filters would be averaged over colour and
# replicated), trained jointly: the fused score's cross-entropy plus each stream's own. Average
# of softmax scores (fusion_weights RGB : flow, about 1 : 1.5 as MMAction2 users do).
# streams_used=('rgb',) or ('flow',) trains one stream alone; tools/fuse_checkpoints.py fuses
# two such runs into one checkpoint of this model.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_flow.py']

num_classes = 6
max_epochs = 10
streams_used = None  # ('rgb',) or ('flow',): train that stream alone
fusion_weights = {'rgb': 1.0, 'flow': 1.5}  # by stream name
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

model = dict(
    type='LateFusionRecognizer',
    streams=dict(
        rgb=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)),
        flow=dict(type='Recognizer', input_key='flow',
                  backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
                  temporal=dict(type='TemporalAvgPool'),
                  head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2))),
    streams_used=streams_used,
    head=dict(type='LateFusionHead', num_classes=num_classes, mode=fusion_mode,
              weights=fusion_weights),
    stream_loss_weight=1.0,
    freeze_streams=freeze_streams,
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
