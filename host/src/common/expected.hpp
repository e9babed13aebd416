// A value or an error, LLVM's Expected<T> in small: C++20 has no std::expected and Debian 12
// packages no backport. Errors are values; nothing here throws except value() on an error.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace lmharvest {

template <class E> struct Unexpected { E error; };

/// Wraps an error so that it converts to any Expected<T, E>.
template <class E> Unexpected<std::decay_t<E>> unexpected(E&& error) {
    return {std::forward<E>(error)};
}

template <class T, class E = std::string> class Expected {
public:
    Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
    template <class F>
    Expected(Unexpected<F> error) : storage_(std::in_place_index<1>, std::move(error.error)) {}

    bool has_value() const { return storage_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(check()); }
    const T& value() const& { return std::get<0>(check()); }
    T&& value() && { return std::get<0>(std::move(check())); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const E& error() const { return std::get<1>(storage_); }

private:
    std::variant<T, E>& check() {
        if (!has_value())
            throw std::logic_error("Expected::value() called on an error");
        return storage_;
    }
    const std::variant<T, E>& check() const {
        if (!has_value())
            throw std::logic_error("Expected::value() called on an error");
        return storage_;
    }
    std::variant<T, E> storage_;
};

/// The void form: success carries nothing, an error its text. Must be checked.
template <class E> class [[nodiscard]] Expected<void, E> {
public:
    Expected() = default;
    template <class F> Expected(Unexpected<F> error) : error_(std::move(error.error)) {}

    bool has_value() const { return !error_.has_value(); }
    explicit operator bool() const { return has_value(); }

    const E& error() const { return *error_; }

private:
    std::optional<E> error_;
};

} // namespace lmharvest
