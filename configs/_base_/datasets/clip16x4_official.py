# UCF101 or HMDB51 read as distributed (SPEC §7), official split `fold`, with the 3D-CNN clip
# pipeline of seed 002 (SPEC §3.2) minus its bugs: clips of 16 frames taken every 4th frame, frames
# resized to short side 128 (171x128 for the 320x240 videos) as they are decoded.
#   train: one random clip, one random 112x112 crop per clip, horizontal flip;
#   val:   num_val_clips clips spread evenly, central 112x112 crop (model selection);
#   test:  num_clips clips x 3 crops of 112 (left/centre/right), scores averaged per video.
# Validation videos are carved out of the official training list (group-disjoint); the official
# test list is used only for the final figure. Crops stay 112 at test time so models with fixed
# input sizes (C3D's fc6) see what they were trained on.
dataset_type = 'UCF101Dataset'  # or 'HMDB51Dataset'
data_root = 'data/ucf101'  # UCF-101/ and ucfTrainTestlist/ (HMDB51: class folders, splits)
fold = 1  # official split 1, 2 or 3
num_classes = 101
num_frames = 16
frame_interval = 4
num_val_clips = 3
num_clips = 10
pad_mode = 'loop'  # videos shorter than a clip: 'loop' (wrap to the start) or 'repeat_last'
short_side = 128
img_size = 112
antialias = False  # OpenCV-style bilinear, as MMAction2 (see clip16x4_csv.py)
batch_size = 16
num_workers = None  # DataLoader workers; None: one per CPU core available, at most 4
# Training-only augmentation, one draw per clip (docs/training.md, "Fine-tuning recipe"):
# 'rand' (RandAugment), 'trivial' (TrivialAugment) or 'none'; the chance of erasing a box.
auto_augment = 'none'
random_erasing = 0.0

reader = dict(type='auto_video_reader',
              folder_reader=dict(type='FrameFolderReader', min_short_side=short_side))
train_pipeline = [
    dict(type='OpenVideo', reader=reader),
    dict(type='SampleFrames', num_frames=num_frames, frame_interval=frame_interval,
         pad_mode=pad_mode),
    dict(type='DecodeFrames', resize=dict(short_side=short_side, antialias=antialias)),
    dict(type='RandomCrop', crop_size=img_size),
    dict(type='Flip', prob=0.5),
    dict(type='AugmentClip', policy=auto_augment),
    dict(type='RandomErasing', prob=random_erasing),
    dict(type='PackVideoInputs'),
]
val_pipeline = [
    dict(type='OpenVideo', reader=reader),
    dict(type='SampleFrames', num_frames=num_frames, frame_interval=frame_interval,
         num_clips=num_val_clips, pad_mode=pad_mode),
    dict(type='DecodeFrames', resize=dict(short_side=short_side, antialias=antialias)),
    dict(type='CenterCrop', crop_size=img_size),
    dict(type='PackVideoInputs'),
]
test_pipeline = [
    dict(type='OpenVideo', reader=reader),
    dict(type='SampleFrames', num_frames=num_frames, frame_interval=frame_interval,
         num_clips=num_clips, pad_mode=pad_mode),
    dict(type='DecodeFrames', resize=dict(short_side=short_side, antialias=antialias)),
    dict(type='ThreeCrop', crop_size=img_size),
    dict(type='PackVideoInputs'),
]

dataset = dict(type=dataset_type, data_root=data_root, fold=fold)
collate_fn = dict(type='vidreg.video_collate')
loader = dict(num_workers=num_workers, persistent_workers=num_workers != 0, collate_fn=collate_fn)
train_dataloader = dict(
    **loader, batch_size=batch_size, sampler=dict(type='SeededSampler', shuffle=True),
    dataset=dict(**dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(
    **loader, batch_size=1, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='val', pipeline=val_pipeline, test_mode=True))
test_dataloader = dict(
    **loader, batch_size=1, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='test', pipeline=test_pipeline, test_mode=True))
val_evaluator = dict(type='AccuracyMetric', topk=(1, 5))
test_evaluator = val_evaluator
