# Two-stream RGB + SG3I late fusion (as twostream_sg3i_synthetic.py) trained and tested the way
# seed 004 samples (SPEC §5.1): every clip of every video is a sample, clips of 3 frames 2 apart,
# a new clip every second (clip_stride 5 sampled frames at the videos' 10 fps), so a 2-4 s video
# gives 2-4 samples per epoch. Validation and test report each video (acc/top1: the scores of
# its clips averaged) and each clip (acc/clip/top1). See configs/_base_/datasets/
# synthetic_twostream.py for the pipeline.
_base_ = ['./twostream_sg3i_synthetic.py']  # its model, pipeline and schedule

clip_samples = True
max_epochs = 4  # ~3 clip samples per video: about the steps of 10 epochs of one clip per video
