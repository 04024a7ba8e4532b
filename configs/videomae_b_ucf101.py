# VideoMAE ViT-B (Tong et al., NeurIPS 2022: tubelet 2x16x16, fixed sinusoidal positions, mean
# pooling + fc_norm) fine-tuned on UCF101 official split 1: 16 frames every 4th, 224 crops from
# frames resized to short side 224, video-level test over 10 clips x 3 crops.
# Weights: a Kinetics-400 VideoMAE-B converted once (vidreg never downloads), e.g. transformers'
# MCG-NJU/videomae-base-finetuned-kinetics folder or the official release's checkpoint:
#   python tools/convert_weights.py videomae-base-finetuned-kinetics/ \
#       checkpoints/videomae_b_k400.pth --from huggingface
#   python tools/convert_weights.py checkpoint.pth checkpoints/videomae_b_k400.pth --from videomae
# The backbone takes the backbone part; the 101-class head is new. ImageNet mean/std, 0-255.
# Schedule (adamw_finetune.py): AdamW, VideoMAE's lr 1e-3 x batch 8 / 256, weight decay
# 0.05, none on norms and biases, layer decay 0.75, 5 warmup epochs, cosine, drop-path 0.1.
_base_ = ['./_base_/runtime.py', './_base_/schedules/adamw_finetune.py',
          './_base_/datasets/clip16x4_official.py']

data_root = 'data/ucf101'
num_classes = 101
pretrained = 'checkpoints/videomae_b_k400.pth'  # None: from scratch
num_frames = 16
short_side = 224
img_size = 224
batch_size = 8
max_epochs = 100
warmup_epochs = 5
lr = 3.125e-5

model = dict(
    type='Recognizer',
    backbone=dict(type='VideoMAE', arch='base', num_frames=num_frames, img_size=img_size,
                  drop_path=0.1, pretrained=pretrained),
    temporal=dict(type='TemporalAvgPool'),
    head=dict(type='ClsHead', num_classes=num_classes, dropout=0.5),
    data_preprocessor=dict(type='VideoDataPreprocessor', mean=(123.675, 116.28, 103.53),
                           std=(58.395, 57.12, 57.375)),
)
