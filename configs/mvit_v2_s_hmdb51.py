# MViT-v2-S (Li et al., CVPR 2022; torchvision's mvit_v2_s and its parameter names) fine-tuned
# from Kinetics-400 on HMDB51 official split 1: 16 frames every 4th (7.5 fps from 30), 224 crops
# of short side 256, 10 clips x 3 crops at test; AdamW with warmup and cosine decay, drop-path 0.2.
# The model is built for 16x224x224 clips (its relative position embeddings); other sizes are
# interpolated. Weights: torchvision's MViT_V2_S_Weights.KINETICS400_V1 from the local torch cache
# ($TORCH_HOME/hub/checkpoints/mvit_v2_s-ae3be167.pth) or a converted checkpoint; mean 0.45,
# std 0.225 as torchvision's transforms. The head reads the class token.
_base_ = ['./_base_/runtime.py', './_base_/schedules/adamw_finetune.py',
          './_base_/datasets/clip16x4_official.py']

dataset_type = 'HMDB51Dataset'
data_root = 'data/hmdb51'
num_classes = 51
num_frames = 16
frame_interval = 4
short_side = 256
img_size = 224
batch_size = 4
max_epochs = 30
lr = 1e-4
warmup_epochs = 2
pretrained = 'MViT_V2_S_Weights.KINETICS400_V1'  # None: from scratch

model = dict(
    type='Recognizer',
    backbone=dict(type='MViT', arch='v2_s', spatial_size=(224, 224), temporal_size=16,
                  drop_path=0.2, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5),
    data_preprocessor=dict(type='VideoDataPreprocessor', mean=(114.75, 114.75, 114.75),
                           std=(57.375, 57.375, 57.375)),
)
