/**
 * The one way to load an optional package: heavy SDKs and drivers (AWS, Octokit, pg, mysql2,
 * better-sqlite3, nodemailer) load only when a config uses them. When one is not installed, the
 * error says which package to install instead of Node's bare "Cannot find package"; any other
 * failure to load it is shown as it is.
 */
export async function importPackage<T>(load: () => Promise<T>, pkg: string, user: string): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw e;
    throw new Error(`${user} needs the ${pkg} package: run npm install ${pkg}`, { cause: e });
  }
}
