use candle_core::{Device, Tensor};
use std::time::Instant;
fn t<F: FnMut() -> candle_core::Result<Tensor>>(name: &str, n: usize, mut f: F) {
    let _ = f().unwrap();
    let s = Instant::now();
    for _ in 0..n {
        let _ = f().unwrap();
    }
    println!(
        "{name}: {:.2} ms",
        s.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
}
fn main() {
    let d = Device::Cpu;
    let q = Tensor::randn(0f32, 1., (8, 1500, 64), &d).unwrap();
    let heads: Vec<Tensor> = (0..8)
        .map(|h| {
            q.narrow(0, h, 1)
                .unwrap()
                .squeeze(0)
                .unwrap()
                .contiguous()
                .unwrap()
        })
        .collect();
    let kts: Vec<Tensor> = heads
        .iter()
        .map(|h| h.t().unwrap().contiguous().unwrap())
        .collect();
    t("qk^T batched", 3, || q.matmul(&q.t()?));
    t("qk^T per head", 3, || {
        let mut o = vec![];
        for h in &heads {
            o.push(h.matmul(&h.t()?)?);
        }
        Ok(o.pop().unwrap())
    });
    t("qk^T per head kt contig", 3, || {
        let mut o = vec![];
        for (h, kt) in heads.iter().zip(&kts) {
            o.push(h.matmul(kt)?);
        }
        Ok(o.pop().unwrap())
    });
    for bs in [100usize, 250, 500] {
        t(&format!("qk^T blocks {bs}"), 3, || {
            let mut o = vec![];
            for (h, kt) in heads.iter().zip(&kts) {
                for b in (0..1500).step_by(bs) {
                    o.push(h.narrow(0, b, bs)?.matmul(kt)?);
                }
            }
            Ok(o.pop().unwrap())
        });
    }
    let s = heads[0].matmul(&kts[0]).unwrap();
    t("pv per head", 3, || {
        let mut o = vec![];
        for h in &heads {
            o.push(s.matmul(h)?);
        }
        Ok(o.pop().unwrap())
    });
    let sb = s.narrow(0, 0, 250).unwrap();
    t("pv blocks 250", 3, || {
        let mut o = vec![];
        for h in &heads {
            for _ in 0..6 {
                o.push(sb.matmul(h)?);
            }
        }
        Ok(o.pop().unwrap())
    });
}
