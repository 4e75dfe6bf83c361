/**
 * The explanation written under the results: why a figure is what it is. Only words and numbers
 * taken from this run's figures, so it stays true when the numbers move.
 */
import type { Figure } from "./figure.js";

export function analysis(_figures: Figure[]): string {
  return "";
}
