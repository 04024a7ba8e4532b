# Two-stream ResNet-50s with optical flow computed while the data loads (OpenCV DIS, no extraction
# step and no denseflow) on HMDB51 split 1: a spatial stream on RGB frames and a temporal stream on
# flow_pairs x/y flow fields stacked as 2L channels (Simonyan & Zisserman 2014), its conv1 built
# for 2L channels and initialised from the ImageNet RGB filters averaged over colour and
# replicated (TSN's cross-modality initialisation). Flow clipped to +-20 px and quantised as flow
# images are, so precomputed flow images give the same input. Frames at 6 fps (flow between
# frames 1/6 s apart), every 1-s clip of a video a sample (clip_samples). Softmax scores averaged
# 1 : 1.5 (RGB : flow, as MMAction2 users weight them), trained jointly. See
# twostream_r50_hmdb51.py for the seed's bugs this avoids.
# flow_source = 'images' reads flow images extracted beforehand instead, beside the RGB video in
# the same sample (python tools/extract_flow.py data/hmdb51 data/hmdb51_flow --short-side 256;
# see configs/_base_/datasets/hmdb51_twostream.py for when both give the same input).
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_step10.py',
          './_base_/datasets/hmdb51_twostream.py']

num_classes = 51
pretrained = 'ResNet50_Weights.IMAGENET1K_V1'  # local torch cache only; None: from scratch
temporal_input = 'flow'
flow_pairs = 5
flow_method = 'dis'
flow_preset = 'fast'
flow_source = 'on_the_fly'  # or 'images' (precomputed, under flow_root)
flow_root = 'data/hmdb51_flow'
max_epochs = 30
lr = 1e-3
fusion_weights = (1.0, 1.5)  # RGB : flow
streams_used = ('spatial', 'temporal')  # one of them: train that stream alone (then
#   tools/fuse_checkpoints.py fuses separately trained streams, the seed's route)
fusion_mode = 'average'  # or 'learned' (a linear layer over the streams' log-scores)
freeze_streams = False  # True: train only the fusion head (load_from a fused checkpoint)

stream_cfgs = dict(
    spatial=dict(type='Recognizer', input_key='imgs',
                 backbone=dict(type='ResNet2D', depth=50, pretrained=pretrained),
                 temporal=dict(type='TemporalAvgPool'),
                 head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5)),
    temporal=dict(type='Recognizer', input_key=temporal_input,
                  backbone=dict(type='ResNet2D', depth=50, in_channels=2 * flow_pairs,
                                pretrained=pretrained),
                  temporal=dict(type='TemporalAvgPool'),
                  head=dict(type='ClsHead', num_classes=num_classes, dropout=0.7)))
model = dict(
    type='LateFusionRecognizer',
    streams={name: stream_cfgs[name] for name in streams_used},
    head=dict(type='LateFusionHead', num_classes=num_classes, mode=fusion_mode,
              weights=[w for name, w in zip(('spatial', 'temporal'), fusion_weights)
                       if name in streams_used]),
    stream_loss_weight=1.0,
    freeze_streams=freeze_streams,
    # Flow images are centred on 127.5 (vidreg/datasets/flow_images.py).
    data_preprocessor=dict(type='VideoDataPreprocessor', modalities=dict(
        flow=dict(mean=(127.5,) * (2 * flow_pairs), std=(127.5,) * (2 * flow_pairs)))),
)
