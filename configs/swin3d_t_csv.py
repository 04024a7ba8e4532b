# Video Swin-T (torchvision's swin3d_t) fine-tuned from Kinetics-400 on your own path,label CSVs
# (train.csv / validation.csv / test.csv under data_root):
#   python tools/train.py configs/swin3d_t_csv.py --cfg-options data_root=/data/mine num_classes=4
# 32 frames spread evenly over each video, 224 px; AdamW with warmup and cosine decay. Weights as
# swin3d_t_hmdb51.py (local torch cache or a converted checkpoint).
_base_ = ['./_base_/runtime.py', './_base_/schedules/adamw_finetune.py',
          './_base_/datasets/csv_videos.py']

num_classes = 4
num_frames = 32
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
