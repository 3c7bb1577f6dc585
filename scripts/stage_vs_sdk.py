"""Times the official Python SDK's Stage upload_folder and download_folder (pip package
singlestoredb, unchanged) against `s2tui sim`. Run by scripts/bench-stage.sh.

Usage: stage_vs_sdk.py BASE_URL KEY GROUP_NAME LOCAL_FOLDER STAGE_FOLDER DOWNLOAD_TO
Prints `upload SECONDS` and `download SECONDS`.
"""
import os
import sys
import time
import warnings

warnings.simplefilter('ignore', DeprecationWarning)
import singlestoredb as s2

url, key, group_name, local, remote, download_to = sys.argv[1:7]
mgr = s2.manage_workspaces(access_token=key, base_url=url)
group = [g for g in mgr.workspace_groups if g.name == group_name][0]
st = group.stage

# upload_folder's last step and download_folder's first ask for the folder's info without the
# trailing slash a folder path needs, which the service (and the simulator) answer with 404.
# Asked again with the slash, so the SDK's own transfer loops run unchanged.
plain_info = st.info


def info(path, *args, **kwargs):
    try:
        return plain_info(path, *args, **kwargs)
    except s2.exceptions.ManagementError as e:
        if e.errno != 404 or str(path).endswith('/'):
            raise
        return plain_info(str(path) + '/', *args, **kwargs)


st.info = info
st.mkdir(remote)
t0 = time.perf_counter()
st.upload_folder(local, remote)
took = time.perf_counter() - t0
uploaded = len(st.listdir(remote + '/'))
assert uploaded == len(os.listdir(local)), (uploaded, len(os.listdir(local)))
print(f"upload {took:.3f}")
t0 = time.perf_counter()
st.download_folder(remote, download_to)
print(f"download {time.perf_counter() - t0:.3f}")
