# MViT-v2 (torchvision's definition) on the shipped synthetic order-dependent videos, CPU-sized:
# embed_dim 16 (D = 128), its 16 blocks, built for 8 frames of 64x64 px, trained from scratch; the
# class token, a linear classifier.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adamw_finetune.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
num_frames = 8
img_size = 64
pretrained = None
max_epochs = 10
lr = 1e-3
weight_decay = 0.05
warmup_epochs = 1

model = dict(
    type='Recognizer',
    backbone=dict(type='MViT', arch='v2_s', embed_dim=16, spatial_size=(img_size, img_size),
                  temporal_size=num_frames, drop_path=0.0, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
