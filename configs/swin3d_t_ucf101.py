# Video Swin-T (Liu et al., CVPR 2022; torchvision's swin3d_t and its parameter names) fine-tuned
# from Kinetics-400 on UCF101 official split 1: 32 frames every 2nd (15 fps from 30), 224 crops of
# short side 256, 10 clips x 3 crops at test; AdamW with warmup and cosine decay, drop-path 0.1.
# Weights: torchvision's Swin3D_T_Weights.KINETICS400_V1, read only from the local torch cache
# ($TORCH_HOME/hub/checkpoints/swin3d_t-7615ae03.pth), or a checkpoint converted with
# tools/convert_weights.py (its backbone part); ImageNet mean/std as torchvision's transforms.
_base_ = ['./_base_/runtime.py', './_base_/schedules/adamw_finetune.py',
          './_base_/datasets/clip16x4_official.py']

dataset_type = 'UCF101Dataset'
data_root = 'data/ucf101'
num_classes = 101
num_frames = 32
frame_interval = 2
short_side = 256
img_size = 224
batch_size = 4
max_epochs = 30
lr = 1e-4
warmup_epochs = 2
pretrained = 'Swin3D_T_Weights.KINETICS400_V1'  # None: from scratch

model = dict(
    type='Recognizer',
    backbone=dict(type='SwinTransformer3D', arch='t', drop_path=0.1, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5),
    data_preprocessor=dict(type='VideoDataPreprocessor', mean=(123.675, 116.28, 103.53),
                           std=(58.395, 57.12, 57.375)),
)
