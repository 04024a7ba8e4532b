# VideoMAE (Tong et al., NeurIPS 2022) on the shipped synthetic order-dependent videos, CPU-sized:
# a ViT of width 64, 4 blocks, 4 heads (ViT-B is 768, 12, 12), tubelets of 2 frames x 16 x 16 px
# on 8 frames of 64x64 px (4 x 4 x 4 = 64 tokens), fixed sinusoidal positions (the only place
# frame order enters), mean pooling + fc_norm, trained from scratch. AdamW with warmup and
# cosine decay, no decay on norms and biases, drop-path 0.1.
_base_ = ['../_base_/runtime.py', '../_base_/datasets/synthetic.py']

num_classes = 6
num_frames = 8
img_size = 64
pretrained = None  # a checkpoint converted with tools/convert_weights.py, or None
max_epochs = 12
warmup_epochs = 1
lr = 1e-3

model = dict(
    type='Recognizer',
    backbone=dict(type='VideoMAE', arch='small', embed_dims=64, depth=4, num_heads=4,
                  num_frames=num_frames, img_size=img_size, drop_path=0.1,
                  pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes),
    data_preprocessor=dict(type='VideoDataPreprocessor'),
)

train_cfg = dict(type='SkipEmptyTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='VidregValLoop')
test_cfg = dict(type='VidregTestLoop')
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='AdamW', lr=lr, betas=(0.9, 0.999), weight_decay=0.05),
                     paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0),
                     clip_grad=dict(max_norm=5.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=1e-5,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True),
]
