# HMDB51 (SPEC §7) read as distributed: <data_root>/<class>/<video>.avi and the official
# testTrainMulti_7030_splits/<class>_test_split{1,2,3}.txt. Training on the split's train videos
# minus a held-out val_fraction (model selection), the final figure on the split's test videos
# (the seed used 5 classes and a random StratifiedShuffleSplit instead, SPEC §2.2).
data_root = 'data/hmdb51'
fold = 1  # official split 1, 2 or 3
num_frames = 16  # evenly spaced over the whole video
img_size = 224
batch_size = 8
num_workers = None  # DataLoader workers; None: one per CPU core available, at most 4
# 'UniformSampleFrames' (evenly spaced, one jitter per clip: keeps the rhythm for RNNs/TCNs) or
# 'SegmentSampleFrames' (TSN: each segment jittered on its own).
frame_sampler = 'UniformSampleFrames'

# Videos are mostly 320x240 (some larger or narrower). Train: short side to img_size, a random
# window of 40-100% of the frame area (one per clip) resized to img_size, horizontal flip.
# Val/test: short side to img_size, central square.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type=frame_sampler, num_frames=num_frames),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=img_size),
    dict(type='RandomResizedCrop', size=img_size, area_range=(0.4, 1.0)),
    dict(type='Flip', prob=0.5),
    dict(type='PackVideoInputs'),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type=frame_sampler, num_frames=num_frames),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=img_size),
    dict(type='CenterCrop', crop_size=img_size),
    dict(type='PackVideoInputs'),
]

dataset = dict(type='HMDB51Dataset', data_root=data_root, fold=fold)
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
