// The engine through Electron's preload bridge (`window.awb`).
import type { ApiMethod, ApiParams, ApiResult, AwbBridge, JobEvent } from '@shared/api';
import { HostError } from './host-error';
import type { UiHost } from './ui-host';

export function electronHost(bridge: AwbBridge): UiHost {
  return {
    kind: 'electron',
    async call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      const reply = await bridge.call(method, params);
      if (!reply.ok) throw new HostError(reply.error.message, reply.error.code);
      return reply.result as ApiResult<M>;
    },
    onEvent: (listener: (e: JobEvent) => void) => bridge.onEvent(listener),
    pickFile: (options) => bridge.pickFile(options),
    printPdf: (htmlFile, pdfFile) => bridge.printPdf(htmlFile, pdfFile),
  };
}
