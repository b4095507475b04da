/** The applicant form: one control per schema field, grouped, with range hints and the validator's messages inline. */
import { daysHint, type FormGroup, type FormValues } from './form-model.ts';

export function ApplicantForm(props: {
  groups: FormGroup[];
  values: FormValues;
  errors: Record<string, string>;
  onChange(name: string, value: string): void;
}) {
  return (
    <form className="applicant-form" aria-label="Applicant" onSubmit={(event) => event.preventDefault()} noValidate>
      {props.groups.map((group) => (
        <fieldset key={group.title}>
          <legend>{group.title}</legend>
          {group.fields.map((field) => {
            const id = `field-${field.name}`;
            const error = props.errors[field.name];
            const value = props.values[field.name] ?? '';
            const hint = field.days ? daysHint(value) : null;
            return (
              <div className={`form-field${error ? ' invalid' : ''}`} key={field.name}>
                <label htmlFor={id} title={field.description}>
                  {field.name}
                  {field.required ? '' : <span className="optional"> optional</span>}
                </label>
                {field.control === 'select' ? (
                  <select
                    id={id}
                    value={value}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : `${id}-hint`}
                    onChange={(event) => props.onChange(field.name, event.target.value)}
                  >
                    {field.nullable || value === '' ? (
                      <option value="">{field.nullable ? '(missing)' : '—'}</option>
                    ) : null}
                    {field.options.map((option) => (
                      <option key={option} value={option}>
                        {option}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    type="text"
                    inputMode="decimal"
                    value={value}
                    placeholder={field.nullable ? 'missing' : ''}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : `${id}-hint`}
                    onChange={(event) => props.onChange(field.name, event.target.value)}
                  />
                )}
                {error ? (
                  <span className="field-error" id={`${id}-error`} role="alert" data-testid={`error-${field.name}`}>
                    {error}
                  </span>
                ) : (
                  <span className="field-hint" id={`${id}-hint`}>
                    {field.control === 'number' ? field.range : `${field.options.length} categories`}
                    {hint ? ` · ${hint}` : ''}
                  </span>
                )}
              </div>
            );
          })}
        </fieldset>
      ))}
    </form>
  );
}
