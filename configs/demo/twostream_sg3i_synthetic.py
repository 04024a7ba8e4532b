# Two-stream late fusion (seed 004, SPEC §5) on the shipped synthetic order-dependent videos,
# CPU-sized: an RGB stream (small per-frame CNN, scores averaged over the clip's frames: blind to
# order) and an SG3I stream (the clip's three gray frames as one 3-channel image: sees order),
# trained jointly: the fused score's cross-entropy plus each stream's own. Average of softmax
# scores (fusion_weights RGB:temporal). streams_used=('rgb',) or ('temporal',) trains one alone;
# tools/fuse_checkpoints.py fuses two such runs into one checkpoint of this model.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_twostream.py']

num_classes = 6
temporal_input = 'sg3i'  # or 'flow': configs/demo/twostream_flow_synthetic.py builds on this file
flow_pairs = 4  # temporal_input = 'flow': L fields, stacked as 2L channels
max_epochs = 10
streams_used = ('rgb', 'temporal')
fusion_weights = (1.0, 1.5)  # RGB : temporal
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

# The temporal stream's input channels (3 for SG3I, 2 * flow_pairs for stacked flow) and
# statistics (SG3I: the luma of ImageNet's mean/std; flow: centred on 127.5) come from the data
# pipeline (vidreg.pipeline.ModalitySpec): the model is built from what the data declares.
stream_cfgs = dict(
    rgb=dict(type='Recognizer', input_key='imgs',
             backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
             temporal=dict(type='TemporalAvgPool'),
             head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)),
    temporal=dict(type='Recognizer', input_key=temporal_input,
                  backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
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
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
