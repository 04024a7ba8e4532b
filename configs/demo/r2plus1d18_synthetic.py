# R(2+1)D-18 (Tran et al., CVPR 2018; seed 002, SPEC §3.3) on the shipped synthetic
# order-dependent videos, CPU-sized: a quarter-width network (base_channels=16, D = 128) trained
# from scratch on 8 frames of 64x64 px, features averaged over T', H', W', a linear classifier.
# The layout is torchvision's, so the full-width config (r2plus1d18_ucf101.py) loads Kinetics
# weights; at this width it learns from scratch in a few minutes on a CPU.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
pretrained = None  # a local checkpoint path, a torchvision weights name, or None
max_epochs = 8

model = dict(
    type='Recognizer',
    backbone=dict(type='VideoResNet', arch='r2plus1d', depth=18, base_channels=16,
                  pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
