# Two-stream late fusion on the shipped synthetic videos with PRECOMPUTED flow images read beside
# each RGB video (one sample, two readers), trained jointly: the model of
# twostream_flow_synthetic.py, the flow read from disk instead of computed while loading. Extract
# it first (see configs/_base_/datasets/synthetic_flowimages.py):
#   python tools/extract_flow.py data/synthetic data/synthetic_flow --format png --preset fast
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_flowimages.py']

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
