"""The official Python SDK (singlestoredb.management), unchanged, against `s2tui sim`.

Run by scripts/sdk-check.sh; exits non-zero on the first thing that does not behave like the service.
"""
import json
import os
import sys
import urllib.request
import tempfile
import warnings

warnings.simplefilter('ignore', DeprecationWarning)
import singlestoredb as s2

url = sys.argv[1]; key = sys.argv[2]
mgr = s2.manage_workspaces(access_token=key, base_url=url)
regions = mgr.regions
print("regions", len(regions), regions[0].name)
groups = mgr.workspace_groups
print("groups", [g.name for g in groups])
region = [r for r in regions if 'US' in r.name or 'us' in r.name][0]
wg = mgr.create_workspace_group('sdk-group', region=region, firewall_ranges=['0.0.0.0/0'], admin_password='SdkPassword123!x')
print("created group", wg.name, wg.id)
ws = wg.create_workspace('sdk-ws', size='S-00', wait_on_active=True, wait_interval=1)
assert ws.state == "ACTIVE" and ws.endpoint, (ws.state, ws.endpoint)
ws.suspend(wait_on_suspended=True, wait_interval=1)
ws.refresh()
assert ws.state == "SUSPENDED", ws.state
ws.resume(wait_on_resumed=True, wait_interval=1)
ws.refresh()
assert ws.state == "ACTIVE", ws.state
st = wg.stage
d = tempfile.mkdtemp()
p = os.path.join(d, 'hello.csv'); open(p, 'w').write('a,b\n1,2\n')
st.mkdir('sdk-folder')
st.upload_file(p, 'sdk-folder/hello.csv')
print("listdir", st.listdir('sdk-folder'))
# A folder is asked about with its trailing slash, as on the service.
assert st.exists('sdk-folder/hello.csv') and st.is_dir('sdk-folder/') and st.is_file('sdk-folder/hello.csv')
out = os.path.join(d, 'back.csv')
st.download_file('sdk-folder/hello.csv', out)
assert open(out).read() == open(p).read(), "download differs"
st.rename('sdk-folder/hello.csv', 'sdk-folder/renamed.csv')
assert st.listdir('sdk-folder') == ['renamed.csv'], st.listdir('sdk-folder')
st.removedirs('sdk-folder')
assert not st.exists('sdk-folder/')
# Secrets: the top-level get_secret(name) (how notebooks read one) looks the secret up by name
# and returns the value that lookup carries. The key and URL come from the environment here.
req = urllib.request.Request(url + '/v1/secrets', method='POST',
                             data=json.dumps({'name': 'SDK_CHECK_SECRET', 'value': 'sdk-canary-value'}).encode(),
                             headers={'Authorization': 'Bearer ' + key, 'Content-Type': 'application/json'})
urllib.request.urlopen(req).read()
value = s2.management.get_secret('SDK_CHECK_SECRET')
assert value == 'sdk-canary-value', value
print("get_secret(name) returned the value")
# Jobs: run() creates a Once job starting now; its creation reply has no runs yet (the SDK's live
# test asserts exactly this), and the run shows up in later reads.
jobs = mgr.organization.jobs
job = jobs.run('Scheduled/sdk-check.ipynb')
assert job.completed_executions_count == 0 and job.job_metadata == [], (job.completed_executions_count, job.job_metadata)
print("jobs.run() created", job.job_id, "with no runs yet")
assert jobs.wait([job], timeout=120), "the job never completed"
assert jobs.get(job.job_id).completed_executions_count == 1
print("the job ran once")
ws.terminate(wait_on_terminated=True, wait_interval=1)
print("terminated", ws.state)
wg.terminate(force=True, wait_on_terminated=True, wait_interval=1)
print("group terminated")
print("the Python SDK behaved as against the service: groups, workspaces, suspend/resume, Stage, secrets, jobs, terminate")
