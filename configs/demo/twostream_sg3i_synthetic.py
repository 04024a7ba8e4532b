# Two-stream late fusion (seed 004, SPEC §5) on the shipped synthetic order-dependent videos,
# CPU-sized: an RGB stream (small per-frame CNN, scores averaged over the clip's frames: blind to
# order) and an SG3I stream (the clip's three gray frames as one 3-channel image: sees order),
# trained jointly: the fused score's cross-entropy plus each stream's own. Average of softmax
# scores (fusion_weights RGB : SG3I). streams_used=('rgb',) or ('sg3i',) trains one alone;
# tools/fuse_checkpoints.py fuses two such runs into one checkpoint of this model.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_sg3i.py']

num_classes = 6
max_epochs = 10
streams_used = None  # ('rgb',) or ('sg3i',): train that stream alone
fusion_weights = {'rgb': 1.0, 'sg3i': 1.5}  # by stream name
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

# Each stream's input channels and statistics (SG3I: the luma of ImageNet's mean/std) come from
# the data pipeline (vidreg.pipeline.ModalitySpec): the model is built from what the data declares.
model = dict(
    type='LateFusionRecognizer',
    streams=dict(
        rgb=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)),
        sg3i=dict(type='Recognizer', input_key='sg3i',
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
