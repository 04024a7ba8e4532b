# MViT-v2-S (torchvision's mvit_v2_s) fine-tuned from Kinetics-400 on your own path,label CSVs
# (train.csv / validation.csv / test.csv under data_root):
#   python tools/train.py configs/mvit_v2_s_csv.py --cfg-options data_root=/data/mine num_classes=4
# 16 frames spread evenly over each video, 224 px (the size the model is built for); AdamW with
# warmup and cosine decay. Weights as mvit_v2_s_hmdb51.py.
_base_ = ['./_base_/runtime.py', './_base_/schedules/adamw_finetune.py',
          './_base_/datasets/csv_videos.py']

num_classes = 4
num_frames = 16
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
