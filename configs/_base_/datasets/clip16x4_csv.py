# Videos (or frame folders) listed in CSV files, read with the standard 3D-CNN pipelines of
# C3D / R3D / R(2+1)D: clips of 16 frames taken every 4th frame, short side 128.
#   train: one random clip, multi-scale random resized crop to 112, horizontal flip;
#   test:  10 clips spread evenly over the video x 3 crops of 128 (30 views, scores averaged).
# Frame folders of JPEGs are decoded at 1/2, 1/4 or 1/8 size as long as the short side stays
# >= short_side (FrameFolderReader min_short_side): same output size after Resize, ~2x faster reads.
# antialias=False resizes like MMAction2 and PyTorchVideo (OpenCV / torch bilinear without a
# shrinking filter): 3D-CNN weights trained there see the pixels they were trained on, and it is
# 2-4x cheaper. Set it True for PIL-style antialiased shrinking.
# A CSV has a header `path,label`; relative paths resolve against data_root, e.g.
#   --cfg-options data_root=/data/ucf101 ann_file_train=train.csv ann_file_val=val.csv
data_root = 'data/clips'
ann_file_train = 'train.csv'
ann_file_val = 'val.csv'
ann_file_test = 'val.csv'
num_classes = 101
num_frames = 16
frame_interval = 4
num_clips = 10
short_side = 128
img_size = 112
antialias = False
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
    dict(type='SampleFrames', num_frames=num_frames, frame_interval=frame_interval),
    # Each frame is resized as it is decoded (same result as a Resize step, one copy less).
    dict(type='DecodeFrames', resize=dict(short_side=short_side, antialias=antialias)),
    dict(type='RandomResizedCrop', size=img_size, antialias=antialias),
    dict(type='Flip', prob=0.5),
    dict(type='AugmentClip', policy=auto_augment),
    dict(type='RandomErasing', prob=random_erasing),
    dict(type='PackVideoInputs'),
]
test_pipeline = [
    dict(type='OpenVideo', reader=reader),
    dict(type='SampleFrames', num_frames=num_frames, frame_interval=frame_interval,
         num_clips=num_clips),
    dict(type='DecodeFrames', resize=dict(short_side=short_side, antialias=antialias)),
    dict(type='ThreeCrop', crop_size=short_side),
    dict(type='PackVideoInputs'),
]

dataset = dict(type='CSVDataset', data_root=data_root, num_classes=num_classes)
collate_fn = dict(type='vidreg.video_collate')
train_dataloader = dict(
    batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers != 0,
    sampler=dict(type='SeededSampler', shuffle=True), collate_fn=collate_fn,
    dataset=dict(**dataset, ann_file=ann_file_train, pipeline=train_pipeline))
# Validation during training: 30 views per video are costly; lower num_clips if needed.
val_dataloader = dict(
    batch_size=1, num_workers=num_workers, persistent_workers=num_workers != 0,
    sampler=dict(type='DefaultSampler', shuffle=False), collate_fn=collate_fn,
    dataset=dict(**dataset, ann_file=ann_file_val, pipeline=test_pipeline, test_mode=True))
test_dataloader = dict(
    batch_size=1, num_workers=num_workers, persistent_workers=num_workers != 0,
    sampler=dict(type='DefaultSampler', shuffle=False), collate_fn=collate_fn,
    dataset=dict(**dataset, ann_file=ann_file_test, pipeline=test_pipeline, test_mode=True))
val_evaluator = dict(type='AccuracyMetric', topk=(1, 5))
test_evaluator = val_evaluator
