# Video Swin (SwinTransformer3D, torchvision's definition) on the shipped synthetic order-dependent
# videos, CPU-sized: embed_dim 16 (D = 128), one block per stage, 4x4x4 windows, trained from
# scratch on 8 frames of 64x64 px; features averaged over T', H', W', a linear classifier.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adamw_finetune.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
pretrained = None
max_epochs = 10
lr = 1e-3
weight_decay = 0.05
warmup_epochs = 1

model = dict(
    type='Recognizer',
    backbone=dict(type='SwinTransformer3D', embed_dim=16, depths=(1, 1, 1, 1),
                  num_heads=(1, 2, 4, 8), window_size=(4, 4, 4), drop_path=0.0,
                  pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
