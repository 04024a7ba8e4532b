# The synthetic videos for an RGB + optical-flow two-stream network with 3D streams: every sample
# carries num_fields + 1 RGB frames (`imgs`, (T, 3, H, W)) and the num_fields x/y flow fields
# between them kept as frames (`flow`, (T = num_fields, 2, H, W)), computed while loading
# (OpenCV DIS). The model reads the channels from the pipeline (vidreg.pipeline.ModalitySpec).
data_root = 'data/synthetic'
task = 'classification'
num_classes = 6
videos_per_class = (40, 10, 10)  # train, val, test
img_size = 64
batch_size = 8
num_workers = 2  # DataLoader workers; None: one per CPU core available, at most 4
num_fields = 7  # L: flow fields per clip, from L + 1 frames
frame_interval = 2  # frames between the clip's frames (the flow pairs' spacing)
num_clips = 3  # clips per test video, scores averaged (video-level prediction)
flow_method = 'dis'  # 'dis' (OpenCV DIS, presets) or 'farneback'
flow_preset = 'fast'  # DIS preset: 'ultrafast', 'fast' or 'medium'

# No flips: a mirrored clockwise turn is a counter-clockwise one.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='SampleFrames', num_frames=num_fields + 1, frame_interval=frame_interval),
    dict(type='DecodeFrames'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='OpticalFlow', method=flow_method, preset=flow_preset),
    dict(type='PackVideoInputs', keys=('imgs', 'flow')),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type='SampleFrames', num_frames=num_fields + 1, frame_interval=frame_interval,
         num_clips=num_clips),
    dict(type='DecodeFrames'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='OpticalFlow', method=flow_method, preset=flow_preset),
    dict(type='PackVideoInputs', keys=('imgs', 'flow')),
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
