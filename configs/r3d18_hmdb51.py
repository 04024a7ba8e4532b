# R3D-18 (seed 002, SPEC §3.3; torchvision's layout, Tran et al. CVPR 2018) fine-tuned from
# Kinetics-400 on HMDB51 official split 1: 16 frames every 4th, 112 crops from 128x171 frames, SGD
# with the seed's schedule stepping correctly, video-level test over 10 clips x 3 crops.
# The seed's own R3D-18 doubled its BatchNorms and could not load these weights (SPEC §3.3).
# Weights: torchvision's R3D_18_Weights.KINETICS400_V1, read only from the local torch cache
# ($TORCH_HOME/hub/checkpoints/); normalised with its Kinetics mean/std (below, 0-255 units).
_base_ = ['./_base_/runtime.py', './_base_/schedules/sgd_step10.py',
          './_base_/datasets/clip16x4_official.py']

dataset_type = 'HMDB51Dataset'
data_root = 'data/hmdb51'
num_classes = 51
pretrained = 'R3D_18_Weights.KINETICS400_V1'  # None: from scratch

model = dict(
    type='Recognizer',
    backbone=dict(type='VideoResNet', arch='r3d', depth=18, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5),
    data_preprocessor=dict(type='VideoDataPreprocessor', mean=(110.2008, 100.63983, 95.99475),
                           std=(58.14765, 56.46975, 55.332195)),
)
