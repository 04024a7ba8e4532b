# HMDB51 (SPEC §7), official split 1 (a held-out part of its train list for model selection, the
# test list only for the final figure), read for an RGB + SG3I two-stream network (seed 004, SPEC
# §5): each sample carries 3 RGB frames (`imgs`) and their SG3I image (`sg3i`: the three frames in
# gray as the channels of one image). Seed 004's "mode 2": frames resampled to sample_fps (6 fps),
# clips of 3 consecutive resampled frames.
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

# Train: short side 256, a random 224 window and a flip per clip (the same for both modalities;
# gray frames flip like RGB ones: SG3I is built before the crops, once per clip).
# Val/test: short side 256, central 224 square (the seed cropped test clips at random).
train_pipeline = [
    dict(type='OpenVideo'),
    dict(type='EveryClipSampleFrames', num_frames=3, fps=sample_fps, stride=clip_stride),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=256),
    dict(type='SG3I'),
    dict(type='RandomCrop', crop_size=img_size, keys=('imgs', 'sg3i')),
    dict(type='Flip', prob=0.5, keys=('imgs', 'sg3i')),
    dict(type='PackVideoInputs', keys=('imgs', 'sg3i')),
]
test_pipeline = [
    dict(type='OpenVideo'),
    dict(type='EveryClipSampleFrames', num_frames=3, fps=sample_fps, stride=clip_stride),
    dict(type='DecodeFrames'),
    dict(type='Resize', short_side=256),
    dict(type='SG3I'),
    dict(type='CenterCrop', crop_size=img_size, keys=('imgs', 'sg3i')),
    dict(type='PackVideoInputs', keys=('imgs', 'sg3i')),
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
