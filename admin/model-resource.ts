/**
 * A read-only view of a mongoose model for the panel: every query carries the staff member's
 * clinic, encrypted or secret fields are excluded in the query projection (so they are never
 * even decrypted, let alone sent to the browser — AdminJS sends all of a record's params, hiding
 * a field only visually), and the adapter's own writes are refused: changes go through
 * custom actions that call the services.
 */
import { Resource as MongooseResource, convertFilter } from '@adminjs/mongoose';
import { BaseRecord, ValidationError } from 'adminjs';
import type { ActionContext, Filter } from 'adminjs';
import type { Model } from 'mongoose';
import { actorOf } from './access.js';

type Context = Partial<ActionContext>;

/** Model name → panel resource id, for reference links. */
const PANEL_IDS: Record<string, string> = {
  Staff: 'staff',
  Doctor: 'doctors',
  Patient: 'patients',
  Consent: 'consents',
};

/** A clinic-scoped, read-only model resource with `hidden` paths left out entirely. */
export class ClinicModelResource extends MongooseResource {
  private readonly projection: string;

  constructor(
    private readonly model: Model<unknown>,
    private readonly hidden: readonly string[] = [],
  ) {
    super(model);
    this.projection = hidden.map((path) => `-${path}`).join(' ');
  }

  private isHidden(path: string): boolean {
    return this.hidden.some((hidden) => path === hidden || path.startsWith(`${hidden}.`));
  }

  override properties(): ReturnType<MongooseResource['properties']> {
    return super
      .properties()
      .filter((property) => property.path() !== 'clinicId' && !this.isHidden(property.path()))
      .map((property) => {
        // Mongoose refs name models; the panel's resources have their own ids (or none: no link).
        const ref = property.reference();
        if (ref) property.reference = () => PANEL_IDS[ref] ?? null;
        return property;
      });
  }

  private scoped(filter: Filter | null, context?: Context): Record<string, unknown> {
    return { ...(filter ? convertFilter(filter) : {}), clinicId: actorOf(context?.currentAdmin).clinicId };
  }

  private record(doc: unknown): BaseRecord {
    return new BaseRecord(JSON.parse(JSON.stringify(doc)), this);
  }

  override async count(filter: Filter | null, context?: Context): Promise<number> {
    return this.model.countDocuments(this.scoped(filter, context));
  }

  override async find(
    filter: Filter,
    {
      limit = 20,
      offset = 0,
      sort = {},
    }: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } },
    context?: Context,
  ): Promise<BaseRecord[]> {
    const order = sort.sortBy ? { [sort.sortBy]: sort.direction === 'asc' ? 1 : -1 } : { _id: -1 };
    const docs = await this.model
      .find(this.scoped(filter, context), this.projection, { skip: offset, limit, sort: order })
      .lean();
    return docs.map((doc) => this.record(doc));
  }

  // AdminJS treats a null record as "not found"; the adapter's type says otherwise.
  override async findOne(id: string, context?: Context): Promise<BaseRecord> {
    if (!/^[0-9a-f]{24}$/i.test(id)) return null as unknown as BaseRecord;
    const doc = await this.model.findOne({ _id: id, ...this.scoped(null, context) }, this.projection).lean();
    return (doc ? this.record(doc) : null) as BaseRecord;
  }

  override async findMany(ids: (string | number)[], context?: Context): Promise<BaseRecord[]> {
    const docs = await this.model
      .find(
        { _id: { $in: ids.map(String).filter((id) => /^[0-9a-f]{24}$/i.test(id)) }, ...this.scoped(null, context) },
        this.projection,
      )
      .lean();
    return docs.map((doc) => this.record(doc));
  }

  override async create(): Promise<never> {
    throw new ValidationError({}, { message: 'New records are added through the actions, not here.' });
  }

  override async update(): Promise<never> {
    throw new ValidationError({}, { message: 'This record changes only through its actions.' });
  }

  override async delete(): Promise<never> {
    throw new ValidationError({}, { message: 'Records are not deleted from the panel.' });
  }
}
