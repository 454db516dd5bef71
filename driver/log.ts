/**
 * Logging categories of the driver. Library code only calls `getLogger`; the application decides
 * whether anything is printed (logtape is silent until configured).
 *
 * @module
 */
import { getLogger, type Logger } from "@logtape/logtape";

/** The root category every log record of this package starts with. */
export const ROOT_CATEGORY = "taiko-preconf";

/** A logger for one area of the driver, e.g. `driverLogger("sync")`. */
export function driverLogger(area: string): Logger {
  return getLogger([ROOT_CATEGORY, "driver", area]);
}
