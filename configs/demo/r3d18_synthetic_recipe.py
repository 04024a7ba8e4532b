# The fine-tuning recipe (configs/_base_/schedules/adamw_finetune.py) on the quarter-width
# R3D-18 of r3d18_synthetic.py, trained from scratch on the shipped synthetic order task: AdamW
# with warmup, cosine decay and layer-wise decay, MixUp/CutMix with label smoothing, RandAugment,
# random erasing, drop-path and an EMA of the weights.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adamw_finetune.py',
          '../_base_/datasets/synthetic.py']

num_classes = 6
pretrained = None  # a local checkpoint path, a torchvision weights name, or None
max_epochs = 10
warmup_epochs = 1
lr = 2e-3
layer_decay = 0.75
ema_momentum = 0.05  # ~30 steps per epoch here; 2e-4 suits runs of thousands of steps
auto_augment = 'rand'
random_erasing = 0.25
mixup_alpha = 0.8  # 0: off
cutmix_alpha = 1.0  # 0: off
label_smoothing = 0.1
drop_path = 0.1

model = dict(
    type='Recognizer',
    backbone=dict(type='VideoResNet', arch='r3d', depth=18, base_channels=16,
                  drop_path=drop_path, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.2,
              loss=dict(type='CrossEntropyLoss', label_smoothing=label_smoothing)),
    data_preprocessor=dict(
        type='VideoDataPreprocessor',
        batch_augments=dict(type='MixUpCutMix', num_classes=num_classes,
                            mixup_alpha=mixup_alpha, cutmix_alpha=cutmix_alpha)),
)
