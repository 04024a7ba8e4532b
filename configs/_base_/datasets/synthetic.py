# The shipped synthetic dataset: time-reversed class pairs that only an order-aware model separates.
# Generated once into data_root (real .avi files + path,label CSVs); see SyntheticVideoDataset.
data_root = 'data/synthetic'
task = 'classification'  # or 'regression' (signed rate of change)
num_classes = 6
videos_per_class = (40, 10, 10)  # train, val, test
num_frames = 8
img_size = 64
batch_size = 8
num_workers = 2  # DataLoader workers; None: one per CPU core available, at most 4
# 'UniformSampleFrames' (evenly spaced, one jitter per clip) or 'SegmentSampleFrames' (TSN: each
# segment jittered on its own); both read num_frames and are deterministic in test mode.
frame_sampler = 'UniformSampleFrames'
# Training-only augmentation, one draw per clip, every frame alike (docs/training.md,
# "Fine-tuning recipe"): 'rand' (RandAugment), 'trivial' (TrivialAugment) or 'none'; and the
# chance that a box of the clip is erased (0: never).
auto_augment = 'none'
random_erasing = 0.0

# No flips: a mirrored clockwise turn is a counter-clockwise one.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type=frame_sampler, num_frames=num_frames),
    dict(type='DecodeFrames'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='AugmentClip', policy=auto_augment),
    dict(type='RandomErasing', prob=random_erasing),
    dict(type='PackVideoInputs'),
]
# the sampler is deterministic when the dataset is in test mode
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type=frame_sampler, num_frames=num_frames),
    dict(type='DecodeFrames'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='PackVideoInputs'),
]

dataset = dict(type='SyntheticVideoDataset', data_root=data_root, task=task,
               num_classes=num_classes, videos_per_class=videos_per_class,
               frame_size=(img_size, img_size))
train_dataloader = dict(
    batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers != 0,
    sampler=dict(type='SeededSampler', shuffle=True), collate_fn=dict(type='vidreg.video_collate'),
    dataset=dict(**dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers != 0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='vidreg.video_collate'),
    dataset=dict(**dataset, split='val', pipeline=test_pipeline, test_mode=True))
test_dataloader = dict(
    batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers != 0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='vidreg.video_collate'),
    dataset=dict(**dataset, split='test', pipeline=test_pipeline, test_mode=True))
# The metric follows the task knob (a leaf or --cfg-options task=regression switches both).
val_evaluator = dict(type='TaskMetric', task=task, topk=(1, 5))
test_evaluator = val_evaluator
