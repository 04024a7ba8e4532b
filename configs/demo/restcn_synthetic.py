# ResNet-TCN (seed 000, SPEC §1) on the shipped synthetic order-dependent videos, CPU-sized:
# ResNet-18 per frame (all frames in one batched pass) -> 32-d projection -> causal dilated TCN
# -> last time step -> linear classifier. Trained from scratch (nothing is downloaded).
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adam_cosine.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
pretrained = None  # a local checkpoint path, a torchvision weights name, or None
max_epochs = 12

model = dict(
    type='Recognizer',
    backbone=dict(type='ResNet2D', depth=18, pretrained=pretrained),
    temporal=dict(type='TCN', proj_channels=32, num_levels=3, hidden_channels=64,
                  kernel_size=3, dropout=0.1, reduction='last'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)
