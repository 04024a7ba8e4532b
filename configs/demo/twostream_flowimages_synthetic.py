# Two-stream late fusion on the shipped synthetic videos with PRECOMPUTED flow images read beside
# each RGB video (one sample, two readers), trained jointly: the same model as
# twostream_flow_synthetic.py, the flow read from disk instead of computed while loading. Extract
# it first (lossless PNG: the very levels OpticalFlow would compute; the data is generated on
# first use, e.g. by python tools/check_data.py or a first training run):
#   python tools/extract_flow.py data/synthetic data/synthetic_flow --format png --preset fast
# Native-rate pairs (frame_interval = 1), so 'on_the_fly' would give the same network input.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_twostream.py']

num_classes = 6
temporal_input = 'flow'
flow_source = 'images'
flow_root = 'data/synthetic_flow'
frame_interval = 1
flow_pairs = 4
max_epochs = 10
fusion_weights = (1.0, 1.5)  # RGB : flow

model = dict(
    type='LateFusionRecognizer',
    streams=dict(
        rgb=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='TinyConv2D', channels=(16, 32, 64)),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)),
        temporal=dict(type='Recognizer', input_key=temporal_input,
                      backbone=dict(type='TinyConv2D', in_channels=2 * flow_pairs,
                                    channels=(16, 32, 64)),
                      temporal=dict(type='TemporalAvgPool'),
                      head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2))),
    head=dict(type='LateFusionHead', num_classes=num_classes, mode='average',
              weights=fusion_weights),
    stream_loss_weight=1.0,
    # Flow images are centred on 127.5 (vidreg/datasets/flow_images.py).
    data_preprocessor=dict(type='VideoDataPreprocessor', modalities=dict(
        flow=dict(mean=(127.5,) * (2 * flow_pairs), std=(127.5,) * (2 * flow_pairs)))),
)
