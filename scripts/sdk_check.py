"""The official Python SDK (singlestoredb.management), unchanged, against `s2tui sim`: its v1
manager (workspace groups and workspaces), its Files spaces at v1 and v2, and its v2 manager
(clusters, projects, starter clusters, Stage under the cluster, jobs with a cluster target).

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
print("v1: groups, workspaces, suspend/resume, Stage, secrets, jobs, terminate")


def stage_round_trip(st, folder):
    """mkdir, upload, listdir, download, rename and removedirs on one Stage."""
    d = tempfile.mkdtemp()
    p = os.path.join(d, 'hello.sql'); open(p, 'w').write('select 1;\n')
    st.mkdir(folder)
    st.upload_file(p, f'{folder}/hello.sql')
    assert st.info(f'{folder}/hello.sql').type == 'file'
    assert st.is_dir(f'{folder}/') and not st.exists(f'{folder}/nothing.sql')
    out = os.path.join(d, 'back.sql')
    st.download_file(f'{folder}/hello.sql', out)
    assert open(out).read() == 'select 1;\n', "download differs"
    st.rename(f'{folder}/hello.sql', f'{folder}/renamed.sql')
    assert st.listdir(folder) == ['renamed.sql'], st.listdir(folder)
    st.removedirs(folder)
    assert not st.exists(f'{folder}/')


def files_round_trip(version):
    """The Files spaces through manage_files: a nested upload (its folder comes with it),
    listdir, info, download, rename, remove and removedirs, as the SDK does them."""
    space = s2.manage_files(access_token=key, base_url=url, version=version).shared_space
    assert 'Jobs' in [p.rstrip('/') for p in space.listdir('/')], space.listdir('/')
    d = tempfile.mkdtemp()
    p = os.path.join(d, 'hello.ipynb'); open(p, 'w').write('{"cells": []}\n')
    space.upload_file(p, f'sdk-{version}/hello.ipynb')
    assert space.is_dir(f'sdk-{version}/') and space.is_file(f'sdk-{version}/hello.ipynb')
    assert space.listdir(f'sdk-{version}') == ['hello.ipynb'], space.listdir(f'sdk-{version}')
    out = os.path.join(d, 'back.ipynb')
    space.download_file(f'sdk-{version}/hello.ipynb', out)
    assert open(out).read() == open(p).read(), "download differs"
    space.rename(f'sdk-{version}/hello.ipynb', f'sdk-{version}/renamed.ipynb')
    assert space.listdir(f'sdk-{version}') == ['renamed.ipynb'], space.listdir(f'sdk-{version}')
    space.remove(f'sdk-{version}/renamed.ipynb')
    assert not space.exists(f'sdk-{version}/renamed.ipynb')
    space.upload_file(p, f'sdk-{version}/again.ipynb')
    space.removedirs(f'sdk-{version}/')
    assert not space.exists(f'sdk-{version}/')
    print("files", version, "upload, listdir, download, rename, remove, removedirs")


files_round_trip('v1')
files_round_trip('v2')


# ───────────────────────────── v2: manage_clusters ─────────────────────────────
from singlestoredb.management.job import Mode

# Asked for v2 by name: the environment pins the top-level helpers above to v1.
cm = s2.manage_clusters(access_token=key, base_url=url, version='v2')
projects = cm.projects
print("projects", [(p.name, p.edition) for p in projects])
assert {p.edition for p in projects} >= {'SHARED', 'STANDARD', 'ENTERPRISE'}
standard = [p for p in projects if p.edition == 'STANDARD'][0]
assert cm.get_project(standard.id).name == standard.name
regions = cm.regions
region = [r for r in regions if r.region_name == 'us-east-1'][0]
print("v2 regions", len(regions), region.name, "shared tier", len(cm.shared_tier_regions))
existing = [c for c in cm.clusters if c.terminated_at is None]
print("clusters", len(existing), sorted(c.name for c in existing)[:3], "...")
assert all(c.project is not None and c.project.id == standard.id for c in existing)

cl = cm.create_cluster(
    'sdk-cluster', region=region, size='S-00', firewall_ranges=['10.0.0.0/8'], expires_at='2h',
    update_window=dict(day=3, hour=4), project=standard, wait_on_active=True, wait_interval=1,
)
assert cl.state == 'ACTIVE' and cl.endpoint, (cl.state, cl.endpoint)
assert cl.admin_password, "the password from the create reply"
assert cl.firewall_ranges == ['10.0.0.0/8'], cl.firewall_ranges
assert cl.expires_at is not None and cl.project.id == standard.id
print("created", cl.name, cl.id, cl.size, cl.region.name if cl.region else None)
assert cm.get_cluster(cl.id).admin_password is None, "the password only once"

cl.update(size='S-1', firewall_ranges=['0.0.0.0/0'], wait_on_active=True, wait_interval=1)
assert cl.state == 'ACTIVE' and cl.size == 'S-1', (cl.state, cl.size)
assert cl.allow_all_traffic and not cl.firewall_ranges, (cl.allow_all_traffic, cl.firewall_ranges)
cl.update(name='sdk-renamed', wait_on_active=True, wait_interval=1)
assert cl.name == 'sdk-cluster', "a rename is accepted and never applied"
cl.suspend(wait_on_suspended=True, wait_interval=1)
assert cl.state == 'SUSPENDED', cl.state
cl.resume(wait_on_resumed=True, wait_interval=1)
assert cl.state == 'ACTIVE', cl.state
print("updated, suspended, resumed")

stage_round_trip(cl.stage, 'sdk-v2-folder')
print("stage under the cluster")

os.environ['SINGLESTOREDB_DEFAULT_DATABASE'] = 'cluster'
os.environ['SINGLESTOREDB_WORKSPACE'] = cl.id
jobs = cm.organization.jobs
job = jobs.schedule(
    notebook_path='Scheduling Test.ipynb', mode=Mode.ONCE, create_snapshot=False,
    runtime_name='notebooks-cpu-small',
    parameters=dict(strParam='x', intParam=1, floatParam=1.5, boolParam=True),
)
got = jobs.get(job.job_id)
assert got.target_config.target_type.value == 'Cluster' and got.target_config.target_id == cl.id, got.target_config
assert jobs.delete(job.job_id)
assert jobs.get(job.job_id).terminated_at is not None
print("job with a cluster target", job.job_id)
del os.environ['SINGLESTOREDB_WORKSPACE'], os.environ['SINGLESTOREDB_DEFAULT_DATABASE']

shared_region = [r for r in cm.shared_tier_regions if r.region_name == 'us-east-1'][0]
sc = cm.create_starter_cluster('sdk-starter', 'sdk_db', provider='aws', region='us-east-1')
assert sc.database_name == 'sdk_db' and sc.endpoint, (sc.database_name, sc.endpoint)
user = sc.create_user('sdk_user')
assert user['password'] and user['user_id'], user
assert sc.id in [s.id for s in cm.starter_clusters]
sc.terminate()
assert sc.id not in [s.id for s in cm.starter_clusters]
print("starter cluster with a user", shared_region.name)

cl.terminate(wait_on_terminated=True, wait_interval=1)
assert cl.terminated_at is not None
assert cl.id not in [c.id for c in cm.clusters if c.terminated_at is None]
print("terminated", cl.name)
print("the Python SDK behaved as against the service, at v1 and at v2")
