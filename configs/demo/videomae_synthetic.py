# VideoMAE (Tong et al., NeurIPS 2022) on the shipped synthetic order-dependent videos, CPU-sized:
# a ViT of width 64, 4 blocks, 4 heads (ViT-B is 768, 12, 12), tubelets of 2 frames x 16 x 16 px
# on 8 frames of 64x64 px (4 x 4 x 4 = 64 tokens), fixed sinusoidal positions (the only place
# frame order enters), mean pooling + fc_norm, trained from scratch. AdamW with warmup and
# cosine decay, no decay on norms and biases, drop-path 0.1.
_base_ = ['../_base_/runtime.py', '../_base_/schedules/adamw_finetune.py',
          '../_base_/datasets/synthetic.py']

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
