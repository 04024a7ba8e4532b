# The shipped synthetic order-dependent videos (see synthetic.py) for an RGB + SG3I two-stream
# network (seed 004): every sample carries the RGB frames (`imgs`, 3 frames) and their SG3I image
# (`sg3i`: the three frames in gray as the channels of one image). One clip per video in
# training, num_clips evenly spread clips per test video, scores averaged.
data_root = 'data/synthetic'
task = 'classification'
num_classes = 6
videos_per_class = (40, 10, 10)  # train, val, test
img_size = 64
batch_size = 8
num_workers = 2  # DataLoader workers; None: one per CPU core available, at most 4
frame_interval = 2  # frames between the 3 frames of a clip (SG3I's spacing)
num_clips = 3  # clips per test video, scores averaged (video-level prediction)

# No flips: a mirrored clockwise turn is a counter-clockwise one. SG3I reads exactly 3 frames.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='SampleFrames', num_frames=3, frame_interval=frame_interval),
    dict(type='DecodeFrames'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='SG3I'),
    dict(type='PackVideoInputs', keys=('imgs', 'sg3i')),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type='SampleFrames', num_frames=3, frame_interval=frame_interval, num_clips=num_clips),
    dict(type='DecodeFrames'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='SG3I'),
    dict(type='PackVideoInputs', keys=('imgs', 'sg3i')),
]

dataset = dict(type='SyntheticVideoDataset', data_root=data_root, task=task,
               num_classes=num_classes, videos_per_class=videos_per_class,
               frame_size=(img_size, img_size))
loader = dict(batch_size=batch_size, num_workers=num_workers, persistent_workers=num_workers != 0,
              collate_fn=dict(type='vidreg.video_collate'))
train_dataloader = dict(
    **loader, sampler=dict(type='SeededSampler', shuffle=True),
    dataset=dict(**dataset, split='train', pipeline=train_pipeline))
val_dataloader = dict(
    **loader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='val', pipeline=test_pipeline, test_mode=True))
test_dataloader = dict(
    **loader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='test', pipeline=test_pipeline, test_mode=True))
val_evaluator = dict(type='AccuracyMetric', topk=(1, 5))
test_evaluator = val_evaluator
