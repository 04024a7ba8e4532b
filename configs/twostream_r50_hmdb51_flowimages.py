# Two-stream ResNet-50s on HMDB51 split 1 with the flow read from flow images extracted
# beforehand, beside the RGB video in the same sample: the model of twostream_r50_hmdb51_flow.py.
# Extract first (see configs/_base_/datasets/hmdb51_flowimages.py for when both give the same
# input):
#   python tools/extract_flow.py data/hmdb51 data/hmdb51_flow --short-side 256 --workers 4
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_step10.py',
          './_base_/datasets/hmdb51_flowimages.py']

num_classes = 51
# ImageNet weights, read only from the local torch cache (never downloaded); None: from scratch.
pretrained = 'ResNet50_Weights.IMAGENET1K_V1'
max_epochs = 30
lr = 1e-3
streams_used = None  # ('rgb',) or ('flow',): train that stream alone (then
#   tools/fuse_checkpoints.py fuses separately trained streams, the seed's route)
fusion_weights = {'rgb': 1.0, 'flow': 1.5}  # by stream name
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

# The flow stream's input channels and statistics come from the data pipeline
# (vidreg.pipeline.ModalitySpec). Its first convolution is built for that many channels;
# ImageNet's RGB filters are averaged over colour and replicated into it (TSN's cross-modality
# initialisation).
model = dict(
    type='LateFusionRecognizer',
    streams=dict(
        rgb=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='ResNet2D', depth=50, pretrained=pretrained),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5)),
        flow=dict(type='Recognizer', input_key='flow',
                      backbone=dict(type='ResNet2D', depth=50, pretrained=pretrained),
                      temporal=dict(type='TemporalAvgPool'),
                      head=dict(type='ClsHead', num_classes=num_classes, dropout=0.7))),
    streams_used=streams_used,
    head=dict(type='LateFusionHead', num_classes=num_classes, mode=fusion_mode,
              weights=fusion_weights),
    stream_loss_weight=1.0,
    freeze_streams=freeze_streams,
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
