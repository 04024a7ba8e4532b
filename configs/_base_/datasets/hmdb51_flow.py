# HMDB51 (SPEC §7), official split 1, read for an RGB + optical-flow two-stream network: each
# sample carries num_fields + 1 RGB frames (`imgs`) and the num_fields x/y flow fields between
# them (`flow`), computed while loading (OpenCV DIS, no extraction step) at the resized size,
# cropped and flipped with the RGB frames (the flip negates x), then stacked as 2 * num_fields
# channels (Simonyan & Zisserman 2014). Frames resampled to sample_fps (flow between frames 1/6 s
# apart). configs/_base_/datasets/hmdb51_flowimages.py reads flow extracted beforehand instead.
# Every clip of every video is a sample (the seed's), a new one every clip_stride sampled frames
# (mode 2: one per second, ~3.4 per video: the seed had 17.6k from its 5.2k train videos), in
# train, val and test; accuracy is reported per video (acc/top1: its clips' scores averaged) and
# per clip (acc/clip/top1).
data_root = 'data/hmdb51'
fold = 1
img_size = 224
batch_size = 32
num_workers = None  # DataLoader workers; None: one per CPU core available, at most 4
sample_fps = 6  # frames resampled to this rate; None: consecutive native frames (seed mode 1)
clip_stride = 6  # sampled frames between clip starts: one clip per second at 6 fps (with
#                  sample_fps = None, 1 is the seed's mode 1: a clip at every frame)
num_fields = 5  # L: flow fields per clip (2L channels), from L + 1 frames
flow_method = 'dis'  # 'dis' or 'farneback'
flow_preset = 'fast'  # DIS preset: 'ultrafast', 'fast' or 'medium'

# Train: short side 256, a random 224 window and a flip per clip (the same for both modalities).
# Val/test: short side 256, central 224 square.
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='EveryClipSampleFrames', num_frames=num_fields + 1, fps=sample_fps,
         stride=clip_stride),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=256),
    dict(type='OpticalFlow', method=flow_method, preset=flow_preset),
    dict(type='RandomCrop', crop_size=img_size, keys=('imgs', 'flow')),
    dict(type='Flip', prob=0.5, keys=('imgs', 'flow')),
    dict(type='FramesToChannels', keys=('flow',)),
    dict(type='PackVideoInputs', keys=('imgs', 'flow')),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type='EveryClipSampleFrames', num_frames=num_fields + 1, fps=sample_fps,
         stride=clip_stride),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=256),
    dict(type='OpticalFlow', method=flow_method, preset=flow_preset),
    dict(type='CenterCrop', crop_size=img_size, keys=('imgs', 'flow')),
    dict(type='FramesToChannels', keys=('flow',)),
    dict(type='PackVideoInputs', keys=('imgs', 'flow')),
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
