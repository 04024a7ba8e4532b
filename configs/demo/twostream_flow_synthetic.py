# Two-stream late fusion (Simonyan & Zisserman 2014) on the shipped synthetic order-dependent
# videos, CPU-sized, with the flow computed while the data loads (OpenCV DIS, no extraction step):
# an RGB stream (small per-frame CNN, scores averaged over frames: blind to order) and a flow
# stream reading flow_pairs x/y fields stacked as 2L channels (its first convolution takes
# 2L channels; pretrained RGB filters would be averaged over colour and replicated), trained
# jointly: the fused score's cross-entropy plus each stream's own. Average of softmax scores
# (fusion_weights RGB:flow, about 1:1.5 as MMAction2 users do). streams_used=('rgb',) or
# ('temporal',) trains one stream alone; tools/fuse_checkpoints.py fuses two such runs into one
# checkpoint of this model.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_twostream.py']

num_classes = 6
temporal_input = 'flow'
flow_pairs = 4
flow_method = 'dis'
flow_preset = 'fast'
max_epochs = 10
streams_used = ('rgb', 'temporal')
fusion_weights = (1.0, 1.5)  # RGB : flow
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

stream_cfgs = dict(
    rgb=dict(type='Recognizer', input_key='imgs',
             backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
             temporal=dict(type='TemporalAvgPool'),
             head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)),
    temporal=dict(type='Recognizer', input_key=temporal_input,
                  backbone=dict(type='TinyConv2D', in_channels=2 * flow_pairs,
                                channels=(16, 32, 64)),
                  temporal=dict(type='TemporalAvgPool'),
                  head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)))
model = dict(
    type='LateFusionRecognizer',
    streams={name: stream_cfgs[name] for name in streams_used},
    head=dict(type='LateFusionHead', num_classes=num_classes, mode=fusion_mode,
              weights=[w for name, w in zip(('rgb', 'temporal'), fusion_weights)
                       if name in streams_used]),
    stream_loss_weight=1.0,
    freeze_streams=freeze_streams,
    # Flow images are centred on 127.5 (vidreg/datasets/flow_images.py).
    data_preprocessor=dict(type='VideoDataPreprocessor', modalities=dict(
        flow=dict(mean=(127.5,) * (2 * flow_pairs), std=(127.5,) * (2 * flow_pairs)))),
)
