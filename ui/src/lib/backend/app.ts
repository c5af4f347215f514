import type { AppInfo } from '../bindings/AppInfo';
import type { LoadReport } from '../bindings/LoadReport';
import { call } from './call';

export interface AppBackend {
  appInfo(): Promise<AppInfo>;
  loadSampleData(): Promise<LoadReport>;
}

export const tauriApp: AppBackend = {
  appInfo: () => call('app_info'),
  loadSampleData: () => call('load_sample_data'),
};
