//! Where recordings are kept between upload and transcription, and for as long as the
//! retention allows: a local folder (the default, for one machine) or an S3-compatible
//! bucket (`TALENTD_MEDIA_URL=s3://bucket/prefix`, for several machines), both through
//! the `object_store` crate.
//!
//! Workers always transcribe from a local file: with a bucket, an API process uploads
//! the recording before the interview is queued, and the worker that takes the job
//! downloads it into its own folder and drops that copy when done.

use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, buffered::BufWriter};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

/// The file-name suffix of a kept recording.
pub const SUFFIX: &str = ".media";

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("media storage URL {0}: expected s3://bucket[/prefix] or a folder path")]
    BadUrl(String),
    #[error("media storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("media file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MediaError + '_ {
    move |source| MediaError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A recording store: a local folder or a bucket.
#[derive(Clone)]
pub struct MediaStore {
    objects: Arc<dyn ObjectStore>,
    remote: bool,
    describe: String,
}

impl std::fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe)
    }
}

impl MediaStore {
    /// Recordings kept in `dir` (created if missing).
    pub fn local(dir: &Path) -> Result<Self, MediaError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        Ok(MediaStore {
            objects: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
            remote: false,
            describe: format!("folder {}", dir.display()),
        })
    }

    /// `s3://bucket[/prefix]`, with credentials, region and endpoint from the usual
    /// `AWS_*` variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
    /// `AWS_ENDPOINT` for an S3-compatible service, `AWS_ALLOW_HTTP` for one on plain
    /// HTTP); anything else is taken as a local folder.
    pub fn from_url(url: &str) -> Result<Self, MediaError> {
        Self::from_url_with(url, &[])
    }

    /// Like [`MediaStore::from_url`], with S3 settings given as (key, value) pairs
    /// (`aws_endpoint`, `aws_access_key_id`, ...) over those of the environment.
    pub fn from_url_with(url: &str, settings: &[(&str, &str)]) -> Result<Self, MediaError> {
        if !url.starts_with("s3://") {
            return Self::local(Path::new(url.strip_prefix("file://").unwrap_or(url)));
        }
        let parsed = url::Url::parse(url).map_err(|_| MediaError::BadUrl(url.to_owned()))?;
        let bucket = parsed
            .host_str()
            .filter(|b| !b.is_empty())
            .ok_or_else(|| MediaError::BadUrl(url.to_owned()))?;
        let prefix = parsed.path().trim_matches('/').to_owned();
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (key, value) in settings {
            let key = key
                .parse()
                .map_err(|_| MediaError::BadUrl(format!("{url} ({key})")))?;
            builder = builder.with_config(key, *value);
        }
        let s3 = builder.build()?;
        let objects: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix.as_str()))
        };
        Ok(MediaStore {
            objects,
            remote: true,
            describe: format!("bucket {bucket}, prefix {prefix:?}"),
        })
    }

    /// Whether recordings live outside this machine (a bucket).
    pub fn is_remote(&self) -> bool {
        self.remote
    }

    /// The object name of an interview's recording.
    pub fn name_of(interview: &str) -> String {
        format!("{interview}{SUFFIX}")
    }

    /// Stores the local `file` as `name`; streamed, in parts when large.
    pub async fn upload(&self, name: &str, file: &Path) -> Result<(), MediaError> {
        let mut src = tokio::fs::File::open(file).await.map_err(io(file))?;
        let mut dest = BufWriter::new(self.objects.clone(), ObjectPath::from(name));
        if let Err(e) = tokio::io::copy(&mut src, &mut dest).await {
            let _ = dest.abort().await;
            return Err(MediaError::Io {
                path: file.to_owned(),
                source: e,
            });
        }
        dest.shutdown().await.map_err(io(file))?;
        Ok(())
    }

    /// Copies `name` into the local `file` (written beside it, then renamed, so that a
    /// file under that name is always whole); false when there is no such object.
    pub async fn download(&self, name: &str, file: &Path) -> Result<bool, MediaError> {
        let got = match self.objects.get(&ObjectPath::from(name)).await {
            Ok(g) => g,
            Err(object_store::Error::NotFound { .. }) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        if let Some(dir) = file.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(io(dir))?;
        }
        let partial = file.with_extension("download");
        let mut out = tokio::fs::File::create(&partial)
            .await
            .map_err(io(&partial))?;
        let mut stream = got.into_stream();
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(bytes) => out.write_all(&bytes).await.map_err(io(&partial))?,
                Err(e) => {
                    drop(out);
                    let _ = tokio::fs::remove_file(&partial).await;
                    return Err(e.into());
                }
            }
        }
        out.flush().await.map_err(io(&partial))?;
        drop(out);
        tokio::fs::rename(&partial, file).await.map_err(io(file))?;
        Ok(true)
    }

    /// Deletes `name`; nothing to delete is not an error.
    pub async fn delete(&self, name: &str) -> Result<(), MediaError> {
        match self.objects.delete(&ObjectPath::from(name)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether `name` is kept.
    pub async fn exists(&self, name: &str) -> Result<bool, MediaError> {
        match self.objects.head(&ObjectPath::from(name)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes every recording stored before `cutoff_ms` (Unix ms): the retention
    /// sweep. Transcripts and scores live in the database and are kept. Returns how
    /// many were deleted.
    pub async fn purge_before(&self, cutoff_ms: i64) -> Result<u64, MediaError> {
        let mut listing = self.objects.list(None);
        let mut old = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            if meta.location.as_ref().ends_with(SUFFIX)
                && meta.last_modified.timestamp_millis() < cutoff_ms
            {
                old.push(meta.location);
            }
        }
        let mut deleted = 0;
        for location in old {
            match self.objects.delete(&location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => deleted += 1,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now_ms() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn a_local_folder_keeps_downloads_and_purges_recordings() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaStore::from_url(dir.path().join("media").to_str().unwrap()).unwrap();
        assert!(!media.is_remote());
        let src = dir.path().join("in.wav");
        std::fs::write(&src, vec![7u8; 300_000]).unwrap();
        media.upload("int_a.media", &src).await.unwrap();
        std::fs::create_dir_all(dir.path().join("media/answers")).unwrap();
        std::fs::write(dir.path().join("media/answers/x.webm"), b"transient").unwrap();

        let copy = dir.path().join("elsewhere/int_a.media");
        assert!(media.download("int_a.media", &copy).await.unwrap());
        assert_eq!(std::fs::read(&copy).unwrap(), vec![7u8; 300_000]);
        assert!(!media.download("int_none.media", &copy).await.unwrap());

        // A cut-off in the past keeps everything; one in the future takes only
        // recordings, never other files in the folder.
        assert_eq!(media.purge_before(now_ms() - 86_400_000).await.unwrap(), 0);
        assert_eq!(media.purge_before(now_ms() + 60_000).await.unwrap(), 1);
        assert!(!media.exists("int_a.media").await.unwrap());
        assert!(dir.path().join("media/answers/x.webm").is_file());
        media.delete("int_a.media").await.unwrap();
    }

    #[test]
    fn urls_are_checked() {
        assert!(matches!(
            MediaStore::from_url("s3:///prefix"),
            Err(MediaError::BadUrl(_))
        ));
    }
}
