// The status page's settings. Keys and units are checkup's, so an old config.js still works.
checkup.config = {
  // The history shown when the page opens, in nanoseconds (use the `time` constants).
  // The page offers 24 h, 7 d, 30 d and 90 d as well.
  timeframe: 1 * time.Day,

  // Seconds between looks for new results.
  refresh_interval: 60,

  storage: {
    // "fs": a folder of check files served over HTTP (checkup serve, GitHub Pages, any web server).
    // "s3": an S3 bucket (set BucketName and Region; objects must be publicly readable).
    // "api": checkup serve's /api/history, which also makes stores without summaries fast.
    type: "fs",
    // Base URL of the folder holding index.json, the check files and summaries/.
    url: "/",
    // true when the store has summaries/ (`checkup page` writes it): the page then reads them
    // without first asking index.json (or the bucket listing) whether they exist.
    // summaries: true,
    // For "s3" only:
    // BucketName: "my-checkup-bucket",
    // Region: "us-east-1",
  },

  status_text: {
    healthy: "Situation Normal",
    degraded: "Degraded Service",
    down: "Service Disruption",
  },
};
