/**
 * An AdminJS resource that reads and writes through a module's services instead of the mongoose
 * adapter, for records with encrypted fields: the service decides (by role) what is decrypted,
 * what is masked and what is audited; raw adapter queries would open every field for every role.
 *
 * A resource names its properties and gives `list`, `get` and optionally `update`/`create`; each
 * receives the Actor of the signed-in staff member (from `context.currentAdmin`).
 */
import { BaseProperty, BaseRecord, BaseResource, ValidationError } from 'adminjs';
import type { ActionContext, Filter, ParamsType, PropertyType } from 'adminjs';
import type { Actor } from '../src/platform/actor.js';
import { AppError } from '../src/platform/errors.js';
import { actorOf } from './access.js';
import { panelMessage } from './notices.js';

/** One field the resource shows. */
export interface ServiceProperty {
  path: string;
  type?: PropertyType;
  isId?: boolean;
  isSortable?: boolean;
}

/** The service calls behind a resource; rows are flat params (AdminJS's `params`). */
export interface ServiceResourceSpec {
  id: string;
  properties: readonly ServiceProperty[];
  /** `filters` holds the list's filter values by property path (strings as typed). */
  list(actor: Actor, filters: Record<string, string>, page: { limit: number; offset: number }): Promise<ParamsType[]>;
  get(actor: Actor, id: string): Promise<ParamsType | null>;
  update?(actor: Actor, id: string, params: ParamsType): Promise<ParamsType>;
  create?(actor: Actor, params: ParamsType): Promise<ParamsType>;
}

type Context = Partial<ActionContext> & { serviceRows?: number };

/** Service refusals become form errors in the staff member's words (AdminJS shows them as a notice). */
function asValidationError(error: unknown): never {
  if (error instanceof AppError) throw new ValidationError({}, { message: panelMessage(error), type: error.code });
  throw error;
}

/** A BaseResource over service functions (see the file comment). */
export class ServiceResource extends BaseResource {
  private readonly props: BaseProperty[];

  constructor(private readonly spec: ServiceResourceSpec) {
    super(spec);
    this.props = spec.properties.map(
      (p, index) =>
        new BaseProperty({
          path: p.path,
          type: p.type ?? 'string',
          isId: p.isId ?? false,
          isSortable: p.isSortable ?? false,
          position: index,
        }),
    );
  }

  /** Never picked up by an adapter: these resources are always given explicitly. */
  static override isAdapterFor(): boolean {
    return false;
  }

  override id(): string {
    return this.spec.id;
  }
  name(): string {
    return this.spec.id;
  }
  override databaseName(): string {
    return 'services';
  }
  override databaseType(): string {
    return 'services';
  }
  override properties(): BaseProperty[] {
    return this.props;
  }
  override property(path: string): BaseProperty | null {
    return this.props.find((p) => p.path() === path) ?? null;
  }

  override async count(_filter: Filter, context?: Context): Promise<number> {
    // The list action asks find() and then count() with the same context; one service call serves both.
    return context?.serviceRows ?? 0;
  }

  override async find(
    filter: Filter,
    options: { limit?: number; offset?: number },
    context?: Context,
  ): Promise<BaseRecord[]> {
    const values: Record<string, string> = {};
    for (const [path, entry] of Object.entries(filter.filters ?? {}))
      if (typeof entry.value === 'string' && entry.value.trim()) values[path] = entry.value.trim();
    const rows = await this.spec
      .list(actorOf(context?.currentAdmin), values, { limit: options.limit ?? 20, offset: options.offset ?? 0 })
      .catch(asValidationError);
    if (context) context.serviceRows = (options.offset ?? 0) + rows.length;
    return rows.map((row) => new BaseRecord(row, this));
  }

  override async findOne(id: string, context?: Context): Promise<BaseRecord | null> {
    const row = await this.spec.get(actorOf(context?.currentAdmin), id).catch(asValidationError);
    return row ? new BaseRecord(row, this) : null;
  }

  override async findMany(ids: (string | number)[], context?: Context): Promise<BaseRecord[]> {
    const found = await Promise.all(ids.map((id) => this.findOne(String(id), context)));
    return found.filter((record): record is BaseRecord => record !== null);
  }

  override async update(id: string, params: ParamsType, context?: Context): Promise<ParamsType> {
    if (!this.spec.update) throw new ValidationError({}, { message: 'This record cannot be edited here.' });
    return this.spec.update(actorOf(context?.currentAdmin), id, params).catch(asValidationError);
  }

  override async create(params: ParamsType, context?: Context): Promise<ParamsType> {
    if (!this.spec.create) throw new ValidationError({}, { message: 'New records are not added here.' });
    return this.spec.create(actorOf(context?.currentAdmin), params).catch(asValidationError);
  }

  override async delete(): Promise<void> {
    throw new ValidationError({}, { message: 'Records are not deleted from the panel.' });
  }
}
