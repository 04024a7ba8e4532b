# Two-stream late fusion with 3D streams on the shipped synthetic order-dependent videos,
# CPU-sized, flow computed while the data loads (OpenCV DIS, no extraction step): an RGB stream
# (R3D-18 at quarter width on num_fields + 1 = 8 frames, (B, 3, T, H, W)) and a flow stream of the
# same architecture on the 7 flow fields between them, kept as frames: (B, 2, T, H, W), x and y
# channels over T fields (see configs/_base_/datasets/synthetic_flow3d.py; its first convolution
# takes the 2 channels the pipeline declares, and pretrained RGB filters would be averaged over
# colour and replicated). Trained jointly: the fused score's cross-entropy plus each stream's
# own. Average of softmax scores (fusion_weights RGB : flow). streams_used=('rgb',) or
# ('flow',) trains one stream alone; tools/fuse_checkpoints.py fuses two such runs into one
# checkpoint of this model.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic_flow3d.py']

num_classes = 6
arch = 'r3d'  # VideoResNet arch of both streams: 'r3d', 'mc3' or 'r2plus1d'
base_channels = 16
pretrained = None  # an RGB checkpoint or torchvision weights name for both streams' backbones
max_epochs = 8
streams_used = None  # ('rgb',) or ('flow',): train that stream alone
fusion_weights = {'rgb': 1.0, 'flow': 1.5}  # by stream name
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

model = dict(
    type='LateFusionRecognizer',
    streams=dict(
        rgb=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='VideoResNet', arch=arch, depth=18,
                               base_channels=base_channels, pretrained=pretrained),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2)),
        flow=dict(type='Recognizer', input_key='flow',
                  backbone=dict(type='VideoResNet', arch=arch, depth=18,
                                base_channels=base_channels, pretrained=pretrained),
                  temporal=dict(type='TemporalAvgPool'),
                  head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2))),
    streams_used=streams_used,
    head=dict(type='LateFusionHead', num_classes=num_classes, mode=fusion_mode,
              weights=fusion_weights),
    stream_loss_weight=1.0,
    freeze_streams=freeze_streams,
    # Both streams' input channels and statistics come from the pipeline (flow: x and y
    # channels centred on 127.5, vidreg/pipeline/flow.py).
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
