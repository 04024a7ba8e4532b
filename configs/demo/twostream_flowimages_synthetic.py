# Two-stream late fusion on the shipped synthetic videos with PRECOMPUTED flow images read beside
# each RGB video (one sample, two readers), trained jointly: the same model as
# twostream_flow_synthetic.py, the flow read from disk instead of computed while loading. Extract
# it first (lossless PNG: the very levels OpticalFlow would compute; the data is generated on
# first use, e.g. by python tools/check_data.py or a first training run):
#   python tools/extract_flow.py data/synthetic data/synthetic_flow --format png --preset fast
# Native-rate pairs (frame_interval = 1), so 'on_the_fly' would give the same network input.
_base_ = ['./twostream_flow_synthetic.py']  # its model, pipeline and schedule

flow_source = 'images'
flow_root = 'data/synthetic_flow'
frame_interval = 1
