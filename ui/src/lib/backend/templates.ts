import type { Rendered } from '../bindings/Rendered';
import type { SendChannel } from '../bindings/SendChannel';
import type { Template } from '../bindings/Template';
import type { TemplateFilter } from '../bindings/TemplateFilter';
import type { TemplateInput } from '../bindings/TemplateInput';
import type { TemplateVariable } from '../bindings/TemplateVariable';
import { call } from './call';

export interface TemplatesBackend {
  listTemplates(filter: TemplateFilter): Promise<Template[]>;
  getTemplate(id: string): Promise<Template>;
  createTemplate(input: TemplateInput): Promise<Template>;
  updateTemplate(id: string, input: TemplateInput): Promise<Template>;
  /** `suffix` is appended to the copy's name, e.g. "(bản sao)". */
  duplicateTemplate(id: string, suffix: string): Promise<Template>;
  deleteTemplate(id: string): Promise<null>;
  templateVariables(): Promise<TemplateVariable[]>;
  previewTemplate(customerId: string, templateId: string, channel: SendChannel): Promise<Rendered>;
  previewDraft(customerId: string, subject: string | null, body: string, email: boolean): Promise<Rendered>;
}

export const tauriTemplates: TemplatesBackend = {
  listTemplates: (filter) => call('list_templates', { filter }),
  getTemplate: (id) => call('get_template', { id }),
  createTemplate: (input) => call('create_template', { input }),
  updateTemplate: (id, input) => call('update_template', { id, input }),
  duplicateTemplate: (id, suffix) => call('duplicate_template', { id, suffix }),
  deleteTemplate: (id) => call('delete_template', { id }),
  templateVariables: () => call('template_variables', {}),
  previewTemplate: (customerId, templateId, channel) =>
    call('preview_template', { customerId, templateId, channel }),
  previewDraft: (customerId, subject, body, email) =>
    call('preview_draft', { customerId, subject, body, email }),
};
