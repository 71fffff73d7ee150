//! The bucket store against a real S3-compatible server (moto's, started by
//! scripts/s3.sh, which also creates the bucket `talentd-test`).

use talentd_media::MediaStore;

/// The test server's settings: endpoint from `TALENTD_TEST_S3_ENDPOINT`.
pub fn s3_settings() -> Vec<(&'static str, String)> {
    let endpoint = std::env::var("TALENTD_TEST_S3_ENDPOINT")
        .unwrap_or_else(|_| "http://127.0.0.1:9327".to_owned());
    vec![
        ("aws_endpoint", endpoint),
        ("aws_access_key_id", "talentd".to_owned()),
        ("aws_secret_access_key", "talentd-secret".to_owned()),
        ("aws_region", "us-east-1".to_owned()),
        ("aws_allow_http", "true".to_owned()),
    ]
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[tokio::test]
async fn a_bucket_keeps_large_recordings_and_purges_old_ones() {
    let settings = s3_settings();
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = format!("run-{}", std::process::id());
    let media = MediaStore::from_url_with(&format!("s3://talentd-test/{run}"), &pairs).unwrap();
    assert!(media.is_remote());
    let dir = tempfile::tempdir().unwrap();
    // Larger than one part (10 MiB), so that the upload is multipart.
    let body: Vec<u8> = (0..12 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let src = dir.path().join("in.media");
    std::fs::write(&src, &body).unwrap();
    media
        .upload("int_big.media", &src)
        .await
        .unwrap_or_else(|e| panic!("{e}: scripts/s3.sh starts the test S3 server"));
    media
        .upload("int_small.media", &dir.path().join("in.media"))
        .await
        .unwrap();
    assert!(media.exists("int_big.media").await.unwrap());

    let copy = dir.path().join("worker/int_big.media");
    assert!(media.download("int_big.media", &copy).await.unwrap());
    assert_eq!(std::fs::read(&copy).unwrap(), body);
    assert!(!media.download("int_none.media", &copy).await.unwrap());

    assert_eq!(media.purge_before(now_ms() - 86_400_000).await.unwrap(), 0);
    assert_eq!(media.purge_before(now_ms() + 60_000).await.unwrap(), 2);
    assert!(!media.exists("int_big.media").await.unwrap());
}
