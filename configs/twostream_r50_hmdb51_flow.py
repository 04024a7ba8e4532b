# Two-stream ResNet-50s with optical flow computed while the data loads (OpenCV DIS, no extraction
# step and no denseflow) on HMDB51 split 1: an RGB stream on the frames and a flow stream on
# num_fields x/y flow fields stacked as 2L channels (Simonyan & Zisserman 2014), its conv1 built
# for 2L channels and initialised from the ImageNet RGB filters averaged over colour and
# replicated (TSN's cross-modality initialisation). Flow clipped to +-20 px and quantised as flow
# images are, so precomputed flow images give the same input (twostream_r50_hmdb51_flowimages.py).
# Frames at 6 fps (flow between frames 1/6 s apart), every 1-s clip of a video a sample. Softmax
# scores averaged 1 : 1.5 (RGB : flow, as MMAction2 users weight them), trained jointly; dropout
# 0.7 before the flow classifier (TSN's). See twostream_r50_hmdb51.py for the seed's bugs this
# avoids.
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_step10.py',
          './_base_/datasets/hmdb51_flow.py']

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
