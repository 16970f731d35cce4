/** The parts of dcmjs (which ships no types) that NeoScope uses. */
declare module 'dcmjs' {
  interface DicomMessageFile {
    meta: Record<string, { vr: string; Value?: unknown[] }>;
    dict: Record<string, { vr: string; Value?: unknown[] }>;
    write(): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): DicomMessageFile;
      };
      DicomMetaDictionary: {
        dictionary: Record<string, { tag: string; vr: string; vm: string; name: string }>;
        denaturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>;
        naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown>;
      };
      DicomDict: new (meta: Record<string, unknown>) => {
        dict: Record<string, unknown>;
        write(): ArrayBuffer;
      };
    };
  };
  export default dcmjs;
}
