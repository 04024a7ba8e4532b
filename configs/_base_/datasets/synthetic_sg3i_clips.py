# The synthetic videos for RGB + SG3I (as synthetic_sg3i.py) the way seed 004 samples (SPEC §5.1):
# every clip of every video is a sample, clips of 3 frames frame_interval apart, a new one every
# clip_stride sampled frames (5 x 2 frames at the videos' 10 fps: one per second), in train, val
# and test. Validation and test report each video (acc/top1: its clips' scores averaged) and
# each clip (acc/clip/top1).
data_root = 'data/synthetic'
task = 'classification'
num_classes = 6
videos_per_class = (40, 10, 10)  # train, val, test
img_size = 64
batch_size = 8
num_workers = 2  # DataLoader workers; None: one per CPU core available, at most 4
frame_interval = 2  # frames between the 3 frames of a clip (SG3I's spacing)
clip_stride = 5  # sampled frames between the starts of consecutive clips

# No flips: a mirrored clockwise turn is a counter-clockwise one. SG3I reads exactly 3 frames.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='EveryClipSampleFrames', num_frames=3, frame_interval=frame_interval,
         stride=clip_stride),
    dict(type='DecodeFrames'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='SG3I'),
    dict(type='PackVideoInputs', keys=('imgs', 'sg3i')),
]
test_pipeline = train_pipeline  # every clip a sample in val and test too

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
