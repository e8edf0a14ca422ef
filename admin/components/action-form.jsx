// The form every state-changing panel action opens: one sentence of what will happen, the few
// inputs the service needs, and a button that POSTs. The answer's notice (success, or the
// service's refusal in plain words) is shown at the top; a success goes back to the record.
import React, { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiClient, useNotice } from 'adminjs';
import { Box, Button, FormGroup, H3, Input, Label, MessageBox, Text, TextArea } from '@adminjs/design-system';

const api = new ApiClient();

const nativeSelect = {
  display: 'block',
  width: '100%',
  padding: '8px',
  fontSize: '14px',
  border: '1px solid #c0c0ca',
  borderRadius: '2px',
  background: '#fff',
};

function Field({ field, value, onChange }) {
  const id = `field-${field.name}`;
  let input;
  if (field.type === 'select') {
    input = (
      <select id={id} name={field.name} style={nativeSelect} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {(field.options || []).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'textarea') {
    input = <TextArea id={id} name={field.name} width={1} value={value} onChange={(e) => onChange(e.target.value)} />;
  } else if (field.type === 'checkbox') {
    input = (
      <input
        id={id}
        name={field.name}
        type="checkbox"
        checked={value === 'true'}
        onChange={(e) => onChange(e.target.checked ? 'true' : '')}
      />
    );
  } else {
    input = (
      <Input
        id={id}
        name={field.name}
        width={1}
        type={field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <FormGroup>
      <Label htmlFor={id} required={field.required}>
        {field.label}
      </Label>
      {input}
      {field.help ? (
        <Text variant="sm" color="grey60">
          {field.help}
        </Text>
      ) : null}
    </FormGroup>
  );
}

const ActionForm = (props) => {
  const { action, record, resource } = props;
  const custom = action.custom || {};
  const fields = custom.fields || [];
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f.name, ''])));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const addNotice = useNotice();
  const navigate = useNavigate();

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const call = record
        ? api.recordAction({
            resourceId: resource.id,
            recordId: record.id,
            actionName: action.name,
            data: values,
            method: 'post',
          })
        : api.resourceAction({ resourceId: resource.id, actionName: action.name, data: values, method: 'post' });
      const response = await call;
      const notice = response.data.notice || { message: 'Done.', type: 'success' };
      setResult(notice);
      addNotice(notice);
      if (notice.type === 'success' && record)
        navigate(`${window.location.pathname.replace(/\/actions\/.*/, '')}/actions/show`);
    } catch (error) {
      const notice = {
        message: 'The panel could not reach the server. Check the connection and try again.',
        type: 'error',
      };
      setResult(notice);
      addNotice(notice);
    } finally {
      setBusy(false);
    }
  };

  const title = record ? record.title : resource.name;
  return (
    <Box variant="container" data-testid={`action-form-${action.name}`}>
      <H3>
        {action.label}
        {title ? ` — ${title}` : ''}
      </H3>
      {custom.intro ? <Text mb="lg">{custom.intro}</Text> : null}
      {result ? (
        <MessageBox
          mb="lg"
          variant={result.type === 'success' ? 'success' : 'danger'}
          message={result.message}
          data-testid="action-result"
        />
      ) : null}
      <form onSubmit={submit}>
        {fields.map((field) => (
          <Field
            key={field.name}
            field={field}
            value={values[field.name]}
            onChange={(value) => setValues({ ...values, [field.name]: value })}
          />
        ))}
        <Button variant="contained" type="submit" disabled={busy} data-testid="action-submit">
          {busy ? 'Working…' : custom.submitLabel || action.label}
        </Button>
      </form>
    </Box>
  );
};

export default ActionForm;
