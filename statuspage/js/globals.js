/*
 * The globals checkup's config.js expects, so a config.js from an existing checkup deployment
 * works unchanged: it assigns `checkup.config` and may use the `time` constants (nanoseconds).
 * A classic script, loaded before config.js; main.js reads `window.checkup.config`.
 */
var checkup = window.checkup || {};
var time = {
  Nanosecond: 1,
  Microsecond: 1e3,
  Millisecond: 1e6,
  Second: 1e9,
  Minute: 60e9,
  Hour: 3600e9,
  Day: 86400e9,
  Week: 7 * 86400e9,
};
