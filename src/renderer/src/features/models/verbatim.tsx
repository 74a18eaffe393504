/**
 * Product and format names inside a sentence of the model screens (SD 1.5, IP-Adapter, ControlNet,
 * sha256, Python, pickle...) are their makers' names and read the same in Chinese. The locale text
 * marks each with <n>…</n>; rendered through <Trans components={VERBATIM}>, each becomes a span with
 * the standard translate="no", so translation tools and the no-English check leave it alone.
 */
export const VERBATIM = { n: <span translate="no" /> };
