use std::fs;
use std::time::{SystemTime, UNIX_EPOCH};

/// The year of a day counted from 1970-01-01 (the civil-from-days algorithm): std has no calendar.
fn year(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    yoe + era * 400 + if mp >= 10 { 1 } else { 0 }
}

fn main() {
    fs::create_dir_all("d/e").unwrap();
    for name in ["x.txt", "y.txt"] {
        fs::write(format!("d/{}", name), "hello\n").unwrap();
    }
    print!("{}", fs::read_to_string("d/x.txt").unwrap());
    println!("{}", fs::metadata("d/x.txt").unwrap().len());
    let mut names: Vec<String> = fs::read_dir("d").unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    println!("{}", names.join(" "));
    println!("{}", fs::read_to_string("/proc/self/status").unwrap().lines().any(|l| l.starts_with("Name:")));
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    println!("{}", year(secs / 86_400));
    fs::write("/tmp/t", "tmp ok").unwrap();
    println!("{}", fs::read_to_string("/tmp/t").unwrap());
}
