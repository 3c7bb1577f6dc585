//! Stage transfer throughput and memory: a 1 GiB upload and download through the simulator,
//! by s2tui's own transfer path (the job the transfer queue runs) and by curl against the
//! same simulator in the same run. Prints MB/s for both and the peak RSS growth of this
//! process (VmHWM) while s2tui transfers.
//!
//! The simulator runs in a child process (this same binary, re-executed), so this process's
//! memory is the client's alone. `cargo bench --bench transfer`; `TRANSFER_MB=256` for a
//! smaller file; needs curl and Linux /proc.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use s2tui::api::client::{ApiKey, Client, ClientConfig};
use s2tui::api::transfer::RateGate;
use s2tui::panes::transfers::Job;
use s2tui::panes::transfers::run::run_job;
use s2tui::sim::{Seed, SimConfig, SimHandle};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

const KEY: &str = "bench-key";
const CHILD_ENV: &str = "S2TUI_BENCH_SIM";

fn main() {
    if std::env::var_os(CHILD_ENV).is_some() {
        serve_sim();
        return;
    }
    let mb: u64 = std::env::var("TRANSFER_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
    let size = mb * 1024 * 1024;
    let work = tempfile::Builder::new().prefix("s2tui-bench-").tempdir().unwrap();
    let src = work.path().join("big.bin");
    write_file(&src, size);

    let mut child =
        Command::new(std::env::current_exe().unwrap()).env(CHILD_ENV, "1").stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let mut parts = line.split_whitespace();
    let (base, group) = (parts.next().unwrap().to_string(), parts.next().unwrap().parse::<Uuid>().unwrap());

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let client = Client::new(ClientConfig::new(&base, ApiKey::new(KEY)).unwrap()).unwrap();
    let stage = format!("{base}/v1/stage/{group}/fs");
    println!("transfer of {mb} MiB through the simulator at {base}");

    // Warm up the client's connection pool and allocator before taking the baseline.
    rt.block_on(client.stage_list(group, "")).unwrap();
    let baseline = vm_kb("VmRSS");

    flush_page_cache();
    let (up, hwm_up) = timed(|| {
        rt.block_on(run_job(
            &client,
            Job::Upload { store: group.into(), local: src.clone(), remote: "s2tui.bin".into() },
            &CancellationToken::new(),
            &RateGate::default(),
            |_, _| {},
        ))
        .unwrap();
    });
    flush_page_cache();
    let (curl_up, _) = timed(|| {
        curl(&["-X", "PUT", "-F", &format!("file=@{}", src.display()), &format!("{stage}/curl.bin"), "-o", "/dev/null"])
    });
    // Downloads are timed in the order s2tui, curl, curl, s2tui, each after `sync`, and the best
    // of each kept: otherwise whichever runs first pays for the writeback of the files before it.
    let dest = work.path().join("down-s2tui.bin");
    let curl_dest = work.path().join("down-curl.bin");
    let ours = |dest: &Path| {
        let _ = std::fs::remove_file(dest);
        flush_page_cache();
        timed(|| {
            rt.block_on(run_job(
                &client,
                Job::Download {
                    store: group.into(),
                    remote: "s2tui.bin".into(),
                    local: dest.to_path_buf(),
                    overwrite: false,
                },
                &CancellationToken::new(),
                &RateGate::default(),
                |_, _| {},
            ))
            .unwrap();
        })
    };
    let theirs = |dest: &Path| {
        let _ = std::fs::remove_file(dest);
        flush_page_cache();
        // curl does not make the file durable; s2tui does (fsync before the rename), so curl's
        // time includes a sync of its file too.
        timed(|| {
            curl(&["-L", "-o", &dest.display().to_string(), &format!("{stage}/curl.bin")]);
            std::fs::File::open(dest).unwrap().sync_all().unwrap();
        })
    };
    let (down_a, hwm_down) = ours(&dest);
    let (curl_a, _) = theirs(&curl_dest);
    let (curl_b, _) = theirs(&curl_dest);
    let (down_b, _) = ours(&dest);
    let (down, curl_down) = (down_a.min(down_b), curl_a.min(curl_b));
    assert_eq!(std::fs::metadata(&dest).unwrap().len(), size);
    assert_eq!(std::fs::metadata(&curl_dest).unwrap().len(), size);

    let rate = |secs: f64| size as f64 / 1e6 / secs;
    let growth = hwm_up.max(hwm_down).saturating_sub(baseline) / 1024;
    println!("upload:   s2tui {:8.1} MB/s   curl {:8.1} MB/s   ratio {:.2}", rate(up), rate(curl_up), curl_up / up);
    println!(
        "download: s2tui {:8.1} MB/s   curl {:8.1} MB/s   ratio {:.2}",
        rate(down),
        rate(curl_down),
        curl_down / down
    );
    println!("peak RSS growth while s2tui transferred: {growth} MB (baseline {} MB)", baseline / 1024);
    let _ = child.kill();
    let _ = child.wait();
}

/// Writes dirty pages out so one timed run does not pay for the previous one's writeback.
fn flush_page_cache() {
    let _ = Command::new("sync").status();
}

/// Runs `f`; its duration in seconds and this process's peak RSS (kB) afterwards.
fn timed(f: impl FnOnce()) -> (f64, u64) {
    let t0 = Instant::now();
    f();
    (t0.elapsed().as_secs_f64(), vm_kb("VmHWM"))
}

fn curl(args: &[&str]) {
    let status = Command::new("curl")
        .args(["-sS", "--fail", "-H", &format!("Authorization: Bearer {KEY}")])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "curl failed: {status}");
}

/// A field of /proc/self/status, in kB.
fn vm_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.trim_start_matches(':').split_whitespace().next()?.parse().ok())
        .unwrap()
}

/// `size` bytes of incompressible data, written in 1 MiB blocks.
fn write_file(path: &Path, size: u64) {
    use rand::{RngCore, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut block = vec![0u8; 1024 * 1024];
    let mut left = size;
    while left > 0 {
        rng.fill_bytes(&mut block);
        let n = left.min(block.len() as u64) as usize;
        f.write_all(&block[..n]).unwrap();
        left -= n as u64;
    }
    f.flush().unwrap();
}

/// The child: a simulator; prints its base URL and a group ID, then serves until killed.
fn serve_sim() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let config = SimConfig { api_key: KEY.into(), seed: Seed::Demo, colleague_rate: 0.0, ..SimConfig::default() };
        let h = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let group = h.shared().world().groups.keys().next().copied().unwrap();
        println!("{} {group}", h.base_url());
        std::future::pending::<()>().await;
    });
}
